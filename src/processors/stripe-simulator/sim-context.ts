import type Stripe from "stripe";
import type { SimulatorBooks } from "./books.js";

/** What every simulated endpoint works with: the account's books, its clock and its event log. */
export interface SimContext {
  readonly books: SimulatorBooks;
  /** Now, in seconds since the epoch (Stripe's timestamps). */
  now(): number;
  /** Records an event on the account and sends it to the webhook endpoints. */
  emit(type: Stripe.Event.Type, object: { id: string }): void;
  /** Where the simulator is served (for Checkout's hosted page). */
  readonly baseUrl: () => string;
}
