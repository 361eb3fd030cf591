import type { Sql } from "../../db/central-db.js";
import { PAYMENT_COLUMNS } from "./payment-queries.js";
import type { PaymentRow } from "./payments-csv.js";

/** A studio as its kiosks report it: its name, its time zone, its kiosks. */
export interface Studio {
  readonly name: string;
  readonly timeZone: string;
  readonly kiosks: readonly string[];
}

export interface DrawerCountRow {
  readonly device_id: string;
  readonly shift_id: string;
  readonly currency: string;
  readonly counted_minor: string;
  readonly expected_minor: string;
  readonly difference_minor: string;
  readonly counted_by: string;
  readonly counted_at: string;
}

export interface ZReportRow {
  readonly device_id: string;
  readonly shift_id: string;
  readonly taken_at: string;
  readonly taken_by: string;
  readonly currency: string;
  readonly net_minor: string;
}

/** What central holds of one studio's day. */
export interface StudioDayData {
  readonly studio: Studio;
  readonly date: string;
  readonly payments: readonly PaymentRow[];
  readonly drawerCounts: readonly DrawerCountRow[];
  readonly zReports: readonly ZReportRow[];
}

/** The most records one day's page reads: far above a studio's day, and bounded all the same. */
export const MAX_DAY_RECORDS = 20_000;

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** Every studio the kiosks reported, with its kiosks; a studio's time zone is its kiosks' (the first). */
export async function listStudios(db: Sql): Promise<Studio[]> {
  const rows = await db.query<{ studio_name: string; time_zone: string; kiosks: string[] }>(
    `SELECT studio_name, min(studio_time_zone) AS time_zone, array_agg(device_id ORDER BY device_id) AS kiosks
       FROM devices WHERE studio_name IS NOT NULL GROUP BY studio_name ORDER BY studio_name`,
  );
  return rows.map((row) => ({ name: row.studio_name, timeZone: row.time_zone, kiosks: row.kiosks }));
}

/**
 * A studio's day: its kiosks' records with that payment date (the studio's own date), and the
 * drawer counts and Z reports taken on that date in the studio's time zone.
 */
export async function studioDay(db: Sql, studio: Studio, date: string): Promise<StudioDayData> {
  const kiosks = JSON.stringify(studio.kiosks);
  const inStudio = "device_id IN (SELECT jsonb_array_elements_text($1::jsonb))";
  const [payments, drawerCounts, zReports] = await Promise.all([
    db.query<PaymentRow>(
      `SELECT ${PAYMENT_COLUMNS} FROM payment_records WHERE ${inStudio} AND payment_date = $2::date
        ORDER BY created_at, id LIMIT ${MAX_DAY_RECORDS}`,
      [kiosks, date],
    ),
    db.query<DrawerCountRow>(
      `SELECT device_id, shift_id, currency, counted_minor::text AS counted_minor,
              expected_minor::text AS expected_minor, difference_minor::text AS difference_minor, counted_by,
              to_char(counted_at AT TIME ZONE 'UTC', ${ISO}) AS counted_at
         FROM drawer_counts WHERE ${inStudio} AND (counted_at AT TIME ZONE $3)::date = $2::date
        ORDER BY counted_at, id`,
      [kiosks, date, studio.timeZone],
    ),
    db.query<ZReportRow>(
      `SELECT device_id, shift_id, to_char(taken_at AT TIME ZONE 'UTC', ${ISO}) AS taken_at, taken_by, currency,
              net_minor::text AS net_minor
         FROM shift_reports WHERE kind = 'Z' AND ${inStudio} AND (taken_at AT TIME ZONE $3)::date = $2::date
        ORDER BY taken_at, id`,
      [kiosks, date, studio.timeZone],
    ),
  ]);
  return { studio, date, payments, drawerCounts, zReports };
}
