import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { centralTotals, sqlOf } from "../helpers/central-queries.js";
import {
  DashboardClient,
  type Fleet,
  mqttClient,
  startFleet,
  startKioskAgent,
} from "../helpers/dashboard.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { sampleCardRecord, sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";
import { until } from "../helpers/wait.js";

const NORTH = "kiosk-north";
const SOUTH = "kiosk-south";

describe("fleet pages: kiosks, telemetry, payments and CSV, dead letters (PostgreSQL, Mosquitto)", () => {
  let fleet: Fleet;
  const stores: KioskStore[] = [];
  const agents: SyncAgent[] = [];
  const records: PaymentRecord[] = [];
  const dir = scratchDir();
  let client: DashboardClient;

  beforeAll(async () => {
    fleet = await startFleet();
    const invoice = sampleInvoice();
    for (const deviceId of [NORTH, SOUTH]) {
      const store = openTestStore(`${dir.path}/${deviceId}`, deviceId);
      store.invoices.upsertInvoice(invoice, new Date().toISOString());
      stores.push(store);
    }
    const [north, south] = stores as [KioskStore, KioskStore];
    const add = (store: KioskStore, record: PaymentRecord) => {
      store.records.insert(record, "csh");
      records.push(record);
    };
    const cash = sampleRecord(invoice, NORTH, 1999, { paymentDate: "2026-03-01" });
    add(north, cash);
    add(north, sampleRecord(invoice, NORTH, 5, { paymentDate: "2026-03-02", note: "=SUM(A1:A9)" }));
    add(north, { ...sampleCardRecord(invoice, NORTH, 123456), paymentDate: "2026-03-02" });
    add(
      north,
      sampleRecord(invoice, NORTH, 700, {
        kind: "refund",
        refundOf: cash.id,
        paymentDate: "2026-03-03",
        method: { type: "cash", amountTendered: null, changeDue: null },
      }),
    );
    add(south, { ...sampleCardRecord(invoice, SOUTH, 250_000_000_01), paymentDate: "2026-03-04" });
    agents.push(startKioskAgent(north, NORTH, fleet.broker.url));
    agents.push(
      startKioskAgent(south, SOUTH, fleet.broker.url, {
        health: () => ({ "card-reader": { status: "error", detail: '<img src=x onerror="alert(1)">' } }),
      }),
    );
    const db = sqlOf(fleet.database.pool);
    await until(async () => (await centralTotals(db)).count === records.length, "records at central");
    await until(
      async () =>
        (await db.query("SELECT 1 FROM devices WHERE (telemetry #>> '{outbox,depth}') = '0'")).length === 2,
      "telemetry with nothing waiting",
    );
    client = new DashboardClient(fleet.url);
    await client.signIn();
  });

  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    for (const store of stores) store.close();
    await fleet?.stop();
    dir.remove();
  });

  it("shows every kiosk at a glance: state, version, records waiting and device health, escaped", async () => {
    const page = await client.get("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("refresh")).toBe("10");
    expect(page.text).toContain(`data-kiosk="${NORTH}" data-state="online"`);
    expect(page.text).toContain(`data-kiosk="${SOUTH}" data-state="online"`);
    expect(page.text).toContain('data-test="count-online">2<');
    expect(page.text).toContain("9.8.7");
    expect(page.text).toContain('data-test="records-waiting" data-value="0"');
    // North's printer is out of paper, its drawer simulated; South's reader reports an error.
    expect(page.text).toContain('data-value="paper-out"');
    expect(page.text).toContain("cover open");
    expect(page.text).toContain('data-value="simulated"');
    expect(page.text).toContain('data-value="error"');
    expect(page.text).not.toContain("<img src=x");
    expect(page.text).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("shows a kiosk's records and its telemetry over time, kept in a history table", async () => {
    const db = sqlOf(fleet.database.pool);
    // Telemetry comes every 2 s in tests: wait for a few reports.
    await until(
      async () =>
        (await db.query("SELECT 1 FROM telemetry_history WHERE device_id = $1", [NORTH])).length >= 2,
      "telemetry history",
      15_000,
    );
    const [row] = await db.query<{
      outbox_depth: number;
      software_version: string;
      drivers: Record<string, unknown>;
    }>(
      "SELECT outbox_depth, software_version, drivers FROM telemetry_history WHERE device_id = $1 ORDER BY at DESC LIMIT 1",
      [NORTH],
    );
    expect(row).toMatchObject({
      outbox_depth: 0,
      software_version: "9.8.7",
      drivers: { printer: { status: "paper-out", detail: "cover open" } },
    });
    const page = await client.get(`/kiosks/${NORTH}?range=1h`);
    expect(page.status).toBe(200);
    expect(page.text.match(/data-test="record-row"/g)).toHaveLength(4);
    expect(page.text).toContain("1,234.56 USD");
    expect(page.text).toMatch(/data-test="chart-outbox" data-points="[1-9]/);
    expect(page.text).toContain('data-test="health-strip"');
    expect(page.text).toContain("printer: paper-out");
    expect((await client.get("/kiosks/kiosk-unknown")).status).toBe(404);
  });

  it("filters payments by date, kiosk, method and kind, with exact totals", async () => {
    const all = await client.get("/payments");
    expect(all.text).toContain(`data-test="records-count" data-value="${records.length}"`);
    const card = await client.get("/payments?method=card");
    expect(card.text).toContain('data-test="records-count" data-value="2"');
    const north = await client.get(`/payments?kiosk=${NORTH}&from=2026-03-02&to=2026-03-02`);
    expect(north.text).toContain('data-test="records-count" data-value="2"');
    expect(north.text).toContain("1,234.61 USD"); // 1234.56 + 0.05 completed
    const refunds = await client.get("/payments?kind=refund");
    expect(refunds.text).toContain('data-test="records-count" data-value="1"');
    expect(refunds.text).toContain("7.00 USD");
    const big = await client.get(`/payments?kiosk=${SOUTH}&method=card`);
    expect(big.text).toContain("250,000,000.01 USD");
    const bad = await client.get("/payments?from=yesterday&method=barter");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("DASHBOARD_FILTER_INVALID");
  });

  it("exports the filtered payments as CSV with money as exact decimal strings", async () => {
    const everything = await client.get("/payments.csv");
    expect(everything.status).toBe(200);
    expect(everything.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(everything.headers.get("content-disposition")).toMatch(
      /^attachment; filename="spectra-payments-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = parse(everything.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(records.length);
    for (const record of records) {
      const row = rows.find((candidate) => candidate.record_id === record.id);
      expect(row?.amount_minor).toBe(String(record.amount.minor));
      const minor = String(record.amount.minor).padStart(3, "0");
      expect(row?.amount).toBe(`${minor.slice(0, -2)}.${minor.slice(-2)}`);
    }
    const sumMinor = rows.reduce((sum, row) => sum + BigInt((row.amount ?? "").replace(".", "")), 0n);
    expect(sumMinor).toBe(records.reduce((sum, record) => sum + BigInt(record.amount.minor), 0n));
    expect(rows.find((row) => row.amount_minor === "25000000001")?.amount).toBe("250000000.01");
    expect(rows.find((row) => row.note?.includes("SUM"))?.note).toBe("'=SUM(A1:A9)");
    expect(rows.find((row) => row.kind === "refund")).toMatchObject({
      kiosk: NORTH,
      amount: "7.00",
      method_type: "cash",
      refund_of: records[0]?.id,
    });
    expect(rows.filter((row) => row.masked_pan === "411111******1111")).toHaveLength(2);
    // The filter applies to the export too.
    const south = parse((await client.get(`/payments.csv?kiosk=${SOUTH}&kind=payment`)).text, {
      columns: true,
    }) as Record<string, string>[];
    expect(south.map((row) => row.amount)).toEqual(["250000000.01"]);
  });

  it("exports a large selection in pages, in creation order, without missing or repeating a record", async () => {
    const { allPayments } = await import("../../src/central/dashboard/fleet/payment-queries.js");
    const seen: string[] = [];
    for await (const page of allPayments(
      fleet.central.db,
      { from: null, to: null, deviceId: null, method: null, kind: null },
      2,
    )) {
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((row) => row.id));
    }
    expect(seen).toHaveLength(records.length);
    expect(new Set(seen).size).toBe(records.length);
  });

  it("lists dead letters with their code, without card data", async () => {
    const rogue = await mqttClient(fleet.broker.url);
    await rogue.publishAsync(
      `spectra/v1/kiosks/${NORTH}/up/records`,
      "not json; card 4111111111111111 <script>",
      { qos: 1 },
    );
    await rogue.endAsync();
    const db = sqlOf(fleet.database.pool);
    await until(async () => (await db.query("SELECT 1 FROM dead_letters")).length === 1, "the dead letter");
    const page = await client.get("/dead-letters");
    expect(page.text).toContain('data-code="SYNC_MESSAGE_NOT_JSON"');
    expect(page.text).toContain("411111******1111");
    expect(page.text).not.toContain("4111111111111111");
    expect(page.text).not.toContain("<script>");
    const filtered = await client.get(`/dead-letters?kiosk=${SOUTH}`);
    expect(filtered.text).toContain('data-test="no-dead-letters"');
  });
});
