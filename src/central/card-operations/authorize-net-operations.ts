import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { ProcessorOperations } from "./processor-operations.js";

/**
 * Refunds with the studio's Authorize.Net transaction key, held by central alone: the refunds above
 * a kiosk's limit. The Authorize.Net processor does the work as on a kiosk — the refund carries the
 * reference made from the kiosk's intent key (so the kiosk finds it by that key), goes to the
 * charge's own card (read from the charge's details, never from the request), and is refused before
 * settlement and beyond what is left of the charge. Voids stay the kiosk's: they move no money back.
 */
export function authorizeNetOperations(processor: CardProcessor, currency: string): ProcessorOperations {
  return {
    async refund(request) {
      if (request.amountMinor === null) {
        throw new KioskError(
          ErrorCodes.CENTRAL_CARD_OPERATION_REFUSED,
          "Central makes Authorize.Net refunds, not voids: the kiosk voids an unsettled charge itself.",
        );
      }
      const refund = await processor.refund({
        idempotencyKey: request.idempotencyKey,
        chargeId: request.chargeId,
        amount: { minor: request.amountMinor, currency },
        reference: {
          recordId: request.metadata.record_id ?? "",
          deviceId: request.metadata.device_id ?? "",
        },
      });
      return {
        refundId: refund.refundId,
        amountMinor: refund.amount.minor,
        currency: refund.amount.currency,
      };
    },
  };
}
