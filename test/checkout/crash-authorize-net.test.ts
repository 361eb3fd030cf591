import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileIntents } from "../../src/checkout/cards/reconciler.js";
import { fixedClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { connectAuthorizeNet } from "../../src/processors/authorize-net/connect-authorize-net.js";
import { invoiceReference } from "../../src/processors/authorize-net/invoice-reference.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { REASON_CODE_CARD, SLOW_CARD } from "../fixtures/authorize-net-test-cards.js";
import { invoice } from "../helpers/payments.js";
import { ledgerOn, SETTINGS, tempDir } from "../helpers/store.js";

const WRITER = fileURLToPath(new URL("./card-writer-authorize-net.mjs", import.meta.url));
const KILLS = 200;
const AUTHNET_SETTINGS = { ...SETTINGS, processorKind: "gateway" as const };
// Mostly approvals; a decline ($2.00 on the reason-code card) and a slow card make the kills land
// in every phase of a payment. [number, fixed amount or null for a random one]
const CARD_MIX = [
  ["4111111111111111", null],
  ["5424000000000015", null],
  ["4111111111111111", null],
  [REASON_CODE_CARD, 200],
  [SLOW_CARD, null],
];
const CHARGED = new Set(["capturedPendingSettlement", "settledSuccessfully"]);

function runAndKill(path: string, simulatorJson: string, afterReadyMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [WRITER, path, JSON.stringify(AUTHNET_SETTINGS), simulatorJson, JSON.stringify(CARD_MIX)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (timer === undefined && stdout.startsWith("ready\n"))
        timer = setTimeout(() => child.kill("SIGKILL"), afterReadyMs);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`card writer ended by itself (${code}): ${stderr}`));
      resolve(
        stdout
          .split("\n")
          .slice(0, -1)
          .filter((line) => line !== "ready"),
      );
    });
  });
}

describe("card payments through Authorize.Net survive SIGKILL around processor calls", () => {
  const dir = tempDir("spectra-authnet-crash-");
  let simulator: RunningAuthorizeNetSimulator;
  beforeAll(async () => {
    simulator = await startAuthorizeNetSimulator({ slowMs: 40 });
  });
  afterAll(async () => {
    await simulator.close();
    dir.remove();
  });

  it(`leaves Authorize.Net's transactions and the kiosk's records in exact agreement after ${KILLS} kills`, async () => {
    const path = join(dir.path, "kiosk.sqlite");
    const caFile = join(dir.path, "simulator.pem");
    writeFileSync(caFile, simulator.ca ?? "");
    const simulatorJson = JSON.stringify({
      endpoint: simulator.endpoint,
      hostedFormUrl: simulator.hostedFormUrl,
      apiLoginId: simulator.apiLoginId,
      transactionKey: simulator.transactionKey,
      caFile,
    });
    const logger = createMemoryLogger();
    const clock = fixedClock("2026-11-26T17:00:00Z");
    const seed = openKioskStore({ path, deviceId: AUTHNET_SETTINGS.deviceId, clock, logger });
    seed.invoices.upsertInvoice(
      invoice({ id: "inv-crash", number: "C-1", totalMinor: 10 ** 12 }),
      "2026-11-26T17:00:00Z",
    );
    seed.close();

    const reported: string[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      reported.push(...(await runAndKill(path, simulatorJson, Math.floor(Math.random() * 150))));
    }

    // The next start reconciles whatever the last kill left open.
    const tables = openKioskStore({ path, deviceId: AUTHNET_SETTINGS.deviceId, clock, logger });
    const store = { ...tables, ledger: ledgerOn(tables, AUTHNET_SETTINGS, clock) };
    try {
      const processor = await connectAuthorizeNet({
        endpoint: simulator.endpoint,
        hostedFormUrl: simulator.hostedFormUrl,
        apiLoginId: simulator.apiLoginId,
        transactionKey: simulator.transactionKey,
        ca: simulator.ca,
        timeoutMs: 2_000,
        deviceType: 3,
        duplicateWindowSeconds: 28_800,
        currency: "USD",
        logger,
      });
      await reconcileIntents(store, processor, logger);
      expect(store.intents.unfinished()).toEqual([]);

      const records = store.records.forInvoice("inv-crash");
      const charges = [...simulator.books.transactions.values()].filter(
        (transaction) => transaction.type === "authCaptureTransaction" && CHARGED.has(transaction.status),
      );
      const completed = records.filter((record) => record.status === "completed");
      expect(records.filter((record) => record.status === "authorizing")).toEqual([]);

      // No double charge: one charge per reference, and every reference belongs to one record.
      const references = charges.map((charge) => charge.invoiceNumber);
      expect(new Set(references).size).toBe(references.length);
      const recordByReference = new Map(
        records.map((record) => [invoiceReference(`sale:${record.id}`), record]),
      );
      // No charge without a completed record, no completed record without its charge.
      expect(
        references.map((reference) => recordByReference.get(reference ?? "")?.id ?? reference).sort(),
      ).toEqual(completed.map((record) => record.id).sort());
      const chargeByReference = new Map(charges.map((charge) => [charge.invoiceNumber, charge]));
      for (const record of completed) {
        const charge = chargeByReference.get(invoiceReference(`sale:${record.id}`));
        expect(charge?.amountMinor).toBe(record.amount.minor);
        expect(record.method.type === "card" && record.method.processorReference).toBe(charge?.transId);
      }
      const kioskSum = completed.reduce((sum, record) => sum + record.amount.minor, 0);
      const processorSum = charges.reduce((sum, charge) => sum + charge.amountMinor, 0);
      expect(kioskSum).toBe(processorSum);

      // What the children said before dying agrees with the records.
      for (const line of reported) {
        const [kind, id] = line.split(" ");
        const record = records.find((candidate) => candidate.id === id);
        if (kind === "approved") expect(record?.status).toBe("completed");
        if (kind === "declined") expect(record?.status).toBe("declined");
      }
      // The kills really landed among payments, not only before the first one.
      expect(completed.length).toBeGreaterThan(KILLS / 10);
      expect(records.length).toBeGreaterThan(completed.length);
    } finally {
      store.close();
    }
  }, 900_000);
});
