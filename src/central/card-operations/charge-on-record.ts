import type { Sql } from "../db/central-db.js";

export interface ChargeOnRecord {
  readonly recordId: string;
  readonly deviceId: string;
  readonly amountMinor: number;
  readonly currency: string;
}

/**
 * The completed card payment central holds for this processor charge, or null. Central refunds only
 * what it has on record: a kiosk (stolen, or forged messages) cannot send money back to a charge
 * the studio never took.
 */
export async function chargeOnRecord(db: Sql, chargeId: string): Promise<ChargeOnRecord | null> {
  const [row] = await db.query<{
    id: string;
    device_id: string;
    amount_minor: string | number;
    currency: string;
  }>(
    `SELECT id, device_id, amount_minor, currency FROM payment_records
      WHERE kind = 'payment' AND method_type = 'card' AND status = 'completed'
        AND method->>'processorReference' = $1
      LIMIT 1`,
    [chargeId],
  );
  return row
    ? {
        recordId: row.id,
        deviceId: row.device_id,
        amountMinor: Number(row.amount_minor),
        currency: row.currency,
      }
    : null;
}
