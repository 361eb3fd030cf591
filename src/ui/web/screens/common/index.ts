import type { CommonScreen } from "../../../protocol.js";
import type { ScreenComponents } from "../../view.js";
import { OutOfServiceScreen } from "./out-of-service.js";

export const commonScreens: ScreenComponents<CommonScreen> = {
  "common.out-of-service": OutOfServiceScreen,
};
