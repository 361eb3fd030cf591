/**
 * A smart card reader the processor drives (Stripe Terminal's server-driven readers): the client
 * inserts, taps or swipes there, and the kiosk never holds card data.
 */
export type SmartReaderStatus =
  /** Online and free for the next payment. */
  | "ready"
  /** Online, but collecting a payment this kiosk did not start. */
  | "busy"
  /** The processor has not heard from it: power or network. */
  | "offline"
  /** Not asked yet, or the processor cannot be reached to ask. */
  | "unknown";

export interface SmartReader {
  readonly id: string;
  /** Where the reader stands as last seen (looked at in the background). */
  status(): SmartReaderStatus;
}
