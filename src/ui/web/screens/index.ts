import type { ComponentType } from "preact";
import type { Screen } from "../../protocol.js";
import type { ScreenComponents, ScreenProps } from "../view.js";
import { commonScreens } from "./common/index.js";
import { selfServiceScreens } from "./self-service/index.js";

/** Every screen component by screen name; the staff folder's `staffScreens` joins here. */
export const screens: ScreenComponents<Screen> = { ...commonScreens, ...selfServiceScreens };

export function screenComponent(screen: Screen): ComponentType<ScreenProps<Screen>> {
  return screens[screen.name] as ComponentType<ScreenProps<Screen>>;
}
