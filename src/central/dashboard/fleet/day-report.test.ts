import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { formatTime } from "../view/format.js";
import { dayCsv } from "./day-csv.js";
import type { StudioDayData } from "./day-queries.js";
import { dayReport } from "./day-report.js";
import type { PaymentRow } from "./payments-csv.js";

const payment = (overrides: Partial<PaymentRow>): PaymentRow => ({
  id: "r-1",
  revision: 1,
  kind: "payment",
  status: "completed",
  device_id: "kiosk-a",
  invoice_id: "inv-1",
  invoice_number: "A-1001",
  client_id: "client-1",
  payment_date: "2026-12-02",
  amount_minor: "10000",
  currency: "USD",
  method_id: "cash",
  method_name: "Cash",
  method_type: "cash",
  method: { type: "cash" },
  future_payment: false,
  due_date: null,
  refund_of: null,
  staff_id: "mgr",
  note: null,
  created_at: "2026-12-02T17:00:00.000000Z",
  voided_at: null,
  client_name: "Zoë Müller",
  ...overrides,
});

const day = (overrides: Partial<StudioDayData> = {}): StudioDayData => ({
  studio: { name: "Studio", timeZone: "America/Denver", kiosks: ["kiosk-a", "kiosk-b"] },
  date: "2026-12-02",
  payments: [
    payment({}),
    payment({ id: "r-2", kind: "refund", amount_minor: "2500" }),
    payment({ id: "r-3", status: "voided", amount_minor: "999" }),
    payment({
      id: "r-4",
      device_id: "kiosk-b",
      method_name: "Card",
      method_type: "card",
      amount_minor: "4000",
    }),
  ],
  drawerCounts: [
    {
      device_id: "kiosk-a",
      shift_id: "s-1",
      currency: "USD",
      counted_minor: "7000",
      expected_minor: "7500",
      difference_minor: "-500",
      counted_by: "mgr",
      counted_at: "2026-12-02T23:00:00.000Z",
    },
    {
      device_id: "kiosk-a",
      shift_id: "s-1",
      currency: "USD",
      counted_minor: "7500",
      expected_minor: "7500",
      difference_minor: "0",
      counted_by: "mgr",
      counted_at: "2026-12-02T23:30:00.000Z",
    },
  ],
  zReports: [
    {
      device_id: "kiosk-a",
      shift_id: "s-1",
      taken_at: "2026-12-03T00:00:00.000Z",
      taken_by: "mgr",
      currency: "USD",
      net_minor: "7500",
    },
  ],
  ...overrides,
});

describe("a studio's day", () => {
  it("nets completed payments less refunds per method and kiosk, and counts a shift's last drawer count", () => {
    const report = dayReport(day());
    const of = (section: string) => report.lines.filter((line) => line.section === section);
    expect(of("by method").map((line) => [line.method, line.records, line.amountMinor])).toEqual([
      ["Card", 1, "4000"],
      ["Cash", 2, "7500"],
    ]);
    expect(of("by kiosk").map((line) => [line.kiosk, line.amountMinor])).toEqual([
      ["kiosk-a", "7500"],
      ["kiosk-b", "4000"],
    ]);
    expect(of("over/short").map((line) => [line.records, line.amountMinor, line.detail])).toEqual([
      [1, "0", "even"],
    ]);
    expect(report.notClosed).toEqual(["kiosk-b"]);
    // A Z report at 17:00 Denver time on the 2nd, though it is the 3rd in UTC.
    expect(of("day closed")[0]?.time).toBe("2026-12-02 17:00:00 America/Denver");
  });

  it("exports a CSV with a byte-order mark, formulas defused, and accents intact", () => {
    const hostile = payment({ id: "r-9", client_name: '=HYPERLINK("http://x")', staff_id: "@evil" });
    const csv = dayCsv(dayReport(day({ payments: [payment({}), hostile] })));
    expect(csv.startsWith("\uFEFFsection,")).toBe(true);
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    const lines = rows.filter((row) => row.section === "payment");
    expect(lines[0]?.detail).toContain("Zoë Müller");
    expect(lines[1]?.detail).toContain('=HYPERLINK("http://x")');
    expect(lines[1]?.staff).toBe("'@evil");
    expect(rows.every((row) => Object.values(row).every((cell) => !/^[=+@\t\r]/.test(cell)))).toBe(true);
  });
});

describe("times on the dashboard", () => {
  it("are in the studio's zone, labelled with it; UTC, labelled, without one", () => {
    expect(formatTime("2026-07-01T17:04:05.000Z", "America/Denver")).toBe(
      "2026-07-01 11:04:05 America/Denver",
    );
    expect(formatTime("2026-12-01T17:04:05.000Z", "Europe/Madrid")).toBe("2026-12-01 18:04:05 Europe/Madrid");
    expect(formatTime("2026-12-01T17:04:05.000Z")).toBe("2026-12-01 17:04:05 UTC");
    expect(formatTime("2026-12-01T17:04:05.000Z", "Mars/Olympus")).toBe("2026-12-01 17:04:05 UTC");
  });
});
