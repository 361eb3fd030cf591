/**
 * The contract between the kiosk's UI server and the browser showing it. The server owns every
 * screen and pushes the whole of it; the browser renders and sends touches back. Both ends import
 * this file (the browser only its types).
 */
import { z } from "zod";
import type { SelfServiceScreen } from "./flows/self-service/screens.js";
import type { StaffScreen } from "./flows/staff/screens.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Screens shown in every mode. */
export type CommonScreen = {
  readonly name: "common.out-of-service";
  /** Why, as set by whoever locked the kiosk (or the store's error code when it cannot open). */
  readonly reason: string;
  /** A discreet way in for a manager who can unlock it. */
  readonly staffSignIn: boolean;
};

/** Every screen, by name. */
export type Screen = SelfServiceScreen | StaffScreen | CommonScreen;
export type ScreenName = Screen["name"];

export type ReaderState = "ready" | "disconnected" | "none";

/** The smart (processor-driven) card reader's state; "none" when the kiosk has none. */
export type SmartReaderState = "ready" | "busy" | "offline" | "unknown" | "none";

/** Whether cards can be charged here now (checkout's `CardPayments`), shown apart from sync. */
export type CardPaymentsState = "ready" | "unavailable" | "not-configured";

/** The bar along the top of every screen. */
export interface StatusBar {
  /** Whether the sync agent is connected to the broker; null when this kiosk does not sync. */
  readonly online: boolean | null;
  /** Records on disk waiting to reach central. */
  readonly waitingToSync: number;
  readonly reader: ReaderState;
  readonly smartReader: SmartReaderState;
  /**
   * Whether a card can be charged here now, apart from sync: "unavailable" while the processor is
   * unreachable, "not-configured" when no card processor is set up (manual authorization codes only).
   */
  readonly cards: CardPaymentsState;
}

export interface IdleWarning {
  readonly kind: "idle-warning";
  readonly secondsLeft: number;
}

export interface ScreenMessage {
  readonly type: "screen";
  /** Increases with every message in this server's life; the browser ignores older ones. */
  readonly seq: number;
  readonly screen: Screen;
  readonly status: StatusBar;
  /** A BCP 47 tag from studio.locales: the browser picks its messages and Intl formats by it. */
  readonly locale: string;
  readonly locales: readonly string[];
  /** The studio's IANA time zone (studio.timeZone): times on the screen are on the studio's clock. */
  readonly timeZone: string;
  readonly overlay: IdleWarning | null;
  /** Simulated devices: the browser shows the dev panel to swipe test cards and scan invoices. */
  readonly devPanel: boolean;
}

export interface ErrorMessage {
  readonly type: "error";
  readonly code: string;
  readonly message: string;
}

export type ServerMessage = ScreenMessage | ErrorMessage;

/**
 * Touch actions are short words; values are what a key or button carries: at most 64 characters,
 * none of them a control character (no key or button has one).
 */
export const touchMessageSchema = z.strictObject({
  type: z.literal("touch"),
  action: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
  value: z
    .string()
    .max(64)
    .refine((value) => !CONTROL_CHARACTER.test(value), "no control characters")
    .optional(),
});

export const browserMessageSchema = touchMessageSchema;
export type TouchMessage = z.infer<typeof touchMessageSchema>;
export type BrowserMessage = z.infer<typeof browserMessageSchema>;

/** Where the browser connects its WebSocket. */
export const SOCKET_PATH = "/ws";
