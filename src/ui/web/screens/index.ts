import type { ComponentType } from "preact";
import type { Screen } from "../../protocol.js";
import type { ScreenComponents, ScreenProps } from "../view.js";
import { commonScreens } from "./common/index.js";
import { selfServiceScreens } from "./self-service/index.js";
import { staffScreens } from "./staff/index.js";

/** Every screen component by screen name. */
export const screens: ScreenComponents<Screen> = { ...commonScreens, ...selfServiceScreens, ...staffScreens };

export function screenComponent(screen: Screen): ComponentType<ScreenProps<Screen>> {
  return screens[screen.name] as ComponentType<ScreenProps<Screen>>;
}
