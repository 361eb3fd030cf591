import type { ReceiptDocument } from "./receipt-document.js";

/**
 * Has a receipt emailed (central sends it: the kiosk asks over sync). Resolves once it is handed to
 * the mail server; rejects with a coded error otherwise. The screens see only this interface.
 */
export interface ReceiptMailer {
  send(request: { readonly to: string; readonly receipt: ReceiptDocument }): Promise<void>;
}
