import Database from "better-sqlite3";
import type { KioskScreen } from "./kiosk-screen.js";

/** The demo staff of config/default.json. */
export const MANAGER_PIN = "1234";
export const CASHIER_PIN = "2468";

/** From the attract (or out-of-service) screen's Staff button through the PIN keypad. */
export async function signIn(screen: KioskScreen, pin: string): Promise<void> {
  await screen.tap("staff");
  await screen.waitForScreen("staff.sign-in");
  await screen.typeKeys(pin);
  await screen.tap("sign-in");
  await screen.waitForScreen("staff.home");
}

/** Home → invoice lookup → the Payment/Refund form of that invoice. */
export async function openInvoice(screen: KioskScreen, number: string): Promise<void> {
  await screen.tap("home-new-payment");
  await screen.waitForScreen("staff.invoice-lookup");
  await screen.typeKeys(number);
  await screen.tap("find");
  await screen.waitForScreen("staff.payment-form");
}

/** The text of the element with this data-testid. */
export async function textOf(screen: KioskScreen, testId: string): Promise<string> {
  return ((await screen.page.getByTestId(testId).first().textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** Waits until the element with this data-testid shows `expected` (the kiosk answers each touch in turn). */
export async function waitForText(
  screen: KioskScreen,
  testId: string,
  expected: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    last = await textOf(screen, testId).catch(() => "");
    if (last.includes(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${testId} shows "${last}", not "${expected}", after ${timeoutMs} ms`);
}

export interface KioskRecordRow {
  id: string;
  kind: string;
  invoice_id: string;
  amount_minor: number;
  status: string;
  method_type: string;
  method_json: string;
  payment_date: string | null;
  due_date: string | null;
  future_payment: number;
  refundable: number;
  refundable_until: string | null;
  refund_of: string | null;
  staff_id: string | null;
}

/** The kiosk's records, read from its SQLite file as an operator would. */
export function kioskRecords(file: string): KioskRecordRow[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT * FROM payment_records ORDER BY created_at, id").all() as KioskRecordRow[];
  } finally {
    db.close();
  }
}

/** One query against the kiosk's SQLite file. */
export function kioskQuery<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
