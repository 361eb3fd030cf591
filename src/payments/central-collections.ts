import type { Charge } from "./card-processor.js";

/**
 * One try central made at collecting a due future payment off-session, as the processor shows it
 * to the kiosk's own key: charged (with the charge), declined (the issuer's code), or waiting for the
 * client to authenticate on a payment page (its address, while it is open).
 */
export type CentralCollectionTry =
  | { readonly attempt: number; readonly kind: "charged"; readonly charge: Charge }
  | { readonly attempt: number; readonly kind: "declined"; readonly code: string }
  | { readonly attempt: number; readonly kind: "authentication-required"; readonly payLink: string | null };

/**
 * Where the kiosk reads what central did with its due payments (Stripe: the PaymentIntents central
 * made under the tries' keys, read with the kiosk's key — reading moves no money). Nothing here
 * changes anything at the processor.
 */
export interface CentralCollections {
  triesFor(recordId: string): Promise<CentralCollectionTry[]>;
}
