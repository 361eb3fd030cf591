import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileIntents } from "../../src/checkout/cards/reconciler.js";
import { fixedClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { gatewayProcessor } from "../../src/processors/gateway/gateway-client.js";
import {
  type RunningSimulator,
  startGatewaySimulator,
} from "../../src/processors/gateway-simulator/gateway-simulator.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { CARDS } from "../helpers/card-payments.js";
import { invoice } from "../helpers/payments.js";
import { ledgerOn, SETTINGS, tempDir } from "../helpers/store.js";

const WRITER = fileURLToPath(new URL("./card-writer.mjs", import.meta.url));
const KILLS = 200;
const GATEWAY_SETTINGS = { ...SETTINGS, processorKind: "gateway" as const };
// Mostly approvals; a decline and a slow card make the kills land in every phase of a payment.
const CARD_MIX = [CARDS.approve, CARDS.approveMastercard, CARDS.approve, CARDS.declined, "4000000000000341"];

function runAndKill(path: string, simulator: RunningSimulator, afterReadyMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        WRITER,
        path,
        JSON.stringify(GATEWAY_SETTINGS),
        simulator.url,
        simulator.apiKey,
        JSON.stringify(CARD_MIX),
      ],
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

describe("card payments survive SIGKILL around processor calls", () => {
  const dir = tempDir("spectra-card-crash-");
  let simulator: RunningSimulator;
  beforeAll(async () => {
    simulator = await startGatewaySimulator({ slowMs: 40 });
  });
  afterAll(async () => {
    await simulator.close();
    dir.remove();
  });

  it(`leaves the processor's ledger and the kiosk's records in exact agreement after ${KILLS} kills`, async () => {
    const path = join(dir.path, "kiosk.sqlite");
    const logger = createMemoryLogger();
    const clock = fixedClock("2026-11-26T17:00:00Z");
    const seed = openKioskStore({ path, deviceId: GATEWAY_SETTINGS.deviceId, clock, logger });
    seed.invoices.upsertInvoice(
      invoice({ id: "inv-crash", number: "C-1", totalMinor: 10 ** 12 }),
      "2026-11-26T17:00:00Z",
    );
    seed.close();

    const reported: string[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      reported.push(...(await runAndKill(path, simulator, Math.floor(Math.random() * 150))));
    }

    // The next start reconciles whatever the last kill left open.
    const tables = openKioskStore({ path, deviceId: GATEWAY_SETTINGS.deviceId, clock, logger });
    const store = { ...tables, ledger: ledgerOn(tables, GATEWAY_SETTINGS, clock) };
    try {
      const processor = gatewayProcessor({
        url: simulator.url,
        apiKey: simulator.apiKey,
        timeoutMs: 2_000,
        logger,
      });
      await reconcileIntents(store, processor, logger);
      expect(store.intents.unfinished()).toEqual([]);

      const records = store.records.forInvoice("inv-crash");
      const charges = simulator.ledger.snapshot().charges;
      const completed = records.filter((record) => record.status === "completed");
      expect(records.filter((record) => record.status === "authorizing")).toEqual([]);

      // No double charge: one charge per idempotency key, and every key belongs to one record.
      const keys = charges.map((charge) => charge.idempotency_key);
      expect(new Set(keys).size).toBe(keys.length);
      // No charge without a completed record, no completed record without its charge.
      const chargeByRecord = new Map(
        charges.map((charge) => [charge.idempotency_key.replace(/^sale:/, ""), charge]),
      );
      expect([...chargeByRecord.keys()].sort()).toEqual(completed.map((record) => record.id).sort());
      for (const record of completed) {
        const charge = chargeByRecord.get(record.id);
        expect(charge?.amount_minor).toBe(record.amount.minor);
        expect(record.method.type === "card" && record.method.processorReference).toBe(charge?.id);
      }
      const kioskSum = completed.reduce((sum, record) => sum + record.amount.minor, 0);
      const ledgerSum = charges.reduce((sum, charge) => sum + charge.amount_minor, 0);
      expect(kioskSum).toBe(ledgerSum);

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
  }, 600_000);
});
