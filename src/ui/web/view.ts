import type { ComponentType } from "preact";
import type { MoneyView } from "../flows/money-view.js";
import type { Screen, StatusBar } from "../protocol.js";
import type { Translate } from "./i18n.js";

/** What every screen gets besides its data: words, formats and a way to touch. */
export interface View {
  readonly t: Translate;
  readonly locale: string;
  /** The studio's IANA time zone: every time of day on the screen is on the studio's clock. */
  readonly timeZone: string;
  readonly money: (money: MoneyView) => string;
  readonly touch: (action: string, value?: string) => void;
}

export interface ScreenProps<S> {
  readonly screen: S;
  readonly view: View;
  /** The status bar's facts, for a screen that says more of them (the attract screen: cards). */
  readonly status?: StatusBar;
}

/** A folder's screens by name; each component receives its own screen type. */
export type ScreenComponents<S extends Screen> = {
  readonly [N in S["name"]]: ComponentType<ScreenProps<Extract<S, { name: N }>>>;
};
