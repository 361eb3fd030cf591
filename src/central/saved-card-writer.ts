import type { SavedCardMessage } from "../sync/protocol/messages.js";
import type { Sql } from "./db/central-db.js";

/**
 * Upserts saved cards by token; a removal is kept even if an older save arrives after it. A token
 * another device already holds is left as it is (no kiosk can overwrite another's card).
 */
export async function writeSavedCards(
  tx: Sql,
  items: readonly { deviceId: string; cards: readonly SavedCardMessage[] }[],
  at: string,
): Promise<void> {
  for (const { deviceId, cards } of items) {
    for (const card of cards) {
      await tx.query(
        `INSERT INTO saved_cards (token, device_id, client_id, brand, last4, exp_month, exp_year, created_at, removed_at, received_at, consent_by, consent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz, $10::timestamptz, $11, $12::timestamptz)
         ON CONFLICT (token) DO UPDATE SET brand = excluded.brand, last4 = excluded.last4,
           exp_month = excluded.exp_month, exp_year = excluded.exp_year,
           consent_by = coalesce(excluded.consent_by, saved_cards.consent_by),
           consent_at = coalesce(excluded.consent_at, saved_cards.consent_at),
           removed_at = coalesce(excluded.removed_at, saved_cards.removed_at), received_at = excluded.received_at
         WHERE saved_cards.device_id = excluded.device_id`,
        [
          card.token,
          deviceId,
          card.clientId,
          card.brand,
          card.last4,
          card.expMonth,
          card.expYear,
          card.createdAt,
          card.removedAt,
          at,
          card.consentBy ?? null,
          card.consentAt ?? null,
        ],
      );
    }
  }
}
