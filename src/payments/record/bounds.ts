/** Central keeps revisions in PostgreSQL `integer` columns: one more would be refused by the database. */
export const MAX_REVISION = 2 ** 31 - 1;

/**
 * The largest amount any record may carry, in minor units, whatever the configuration: the ceiling
 * of the configured limits (the kiosk's `limits.maxAmountMinor`, central's
 * `central.ingest.maxAmountMinor`). 10^11 is 1,000,000,000.00 in a two-decimal currency — no studio
 * takes that in one payment — and 90,000 such amounts still add up exactly in a double.
 */
export const AMOUNT_CEILING_MINOR = 100_000_000_000;

/** The bounds a record's money is checked against: the kiosk's and central's configured limits. */
export interface RecordLimits {
  /** The largest amount of one payment or refund, in minor units. */
  readonly maxAmountMinor: number;
}

export const CEILING_LIMITS: RecordLimits = { maxAmountMinor: AMOUNT_CEILING_MINOR };

/**
 * Dates and instants a record may carry: from the Unix epoch to the last day both JavaScript and
 * PostgreSQL write with four-digit years (PostgreSQL has no year 0, which ISO text can name).
 */
export const FIRST_DATE = "1970-01-01";
export const LAST_DATE = "9999-12-31";
