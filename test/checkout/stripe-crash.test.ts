import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileIntents } from "../../src/checkout/cards/reconciler.js";
import { fixedClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { KEY_METADATA } from "../../src/processors/stripe/charge-of.js";
import { stripeClient } from "../../src/processors/stripe/stripe-client.js";
import { stripeProcessor } from "../../src/processors/stripe/stripe-processor.js";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { invoice } from "../helpers/payments.js";
import { ledgerOn, SETTINGS, tempDir } from "../helpers/store.js";

const WRITER = fileURLToPath(new URL("./stripe-card-writer.mjs", import.meta.url));
const KILLS = 200;
const STRIPE_SETTINGS = { ...SETTINGS, processorKind: "gateway" as const };
// Mostly approvals; one in five declined by the issuer, so kills land around declines too.
const cardFor = (amount: number): string => (amount % 5 === 0 ? "4000000000000002" : "4242424242424242");

function runAndKill(
  path: string,
  simulator: RunningStripeSimulator,
  afterReadyMs: number,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        WRITER,
        path,
        JSON.stringify(STRIPE_SETTINGS),
        simulator.host,
        String(simulator.port),
        simulator.secretKey,
        simulator.readers[0] as string,
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

describe("card-present payments on a Stripe reader survive SIGKILL around every call", () => {
  const dir = tempDir("spectra-stripe-crash-");
  let simulator: RunningStripeSimulator;
  beforeAll(async () => {
    simulator = await startStripeSimulator({ autoPresent: { afterMs: 10, card: cardFor } });
  });
  afterAll(async () => {
    await simulator.close();
    dir.remove();
  });

  it(`leaves Stripe's books and the kiosk's records in exact agreement after ${KILLS} kills`, async () => {
    const path = join(dir.path, "kiosk.sqlite");
    const logger = createMemoryLogger();
    const clock = fixedClock("2026-11-26T17:00:00Z");
    const seed = openKioskStore({ path, deviceId: STRIPE_SETTINGS.deviceId, clock, logger });
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
    const tables = openKioskStore({ path, deviceId: STRIPE_SETTINGS.deviceId, clock, logger });
    const store = { ...tables, ledger: ledgerOn(tables, STRIPE_SETTINGS, clock) };
    try {
      const processor = stripeProcessor({
        stripe: stripeClient({
          apiKey: simulator.secretKey,
          endpoint: { host: simulator.host, port: simulator.port, protocol: "http" },
          timeoutMs: 2_000,
        }),
        logger,
        timing: { pollMs: 5, collectTimeoutMs: 2_000 },
        lookupWindowHours: 48,
        currency: "USD",
      });
      await reconcileIntents(store, processor, logger);
      expect(store.intents.unfinished()).toEqual([]);

      const records = store.records.forInvoice("inv-crash");
      const completed = records.filter((record) => record.status === "completed");
      expect(records.filter((record) => record.status === "authorizing")).toEqual([]);
      const intents = [...simulator.books.paymentIntents.values()];
      const paid = intents.filter((intent) => intent.status === "succeeded");

      // No double charge: one paid PaymentIntent per key, one succeeded charge per paid intent.
      const keys = paid.map((intent) => intent.metadata[KEY_METADATA]);
      expect(new Set(keys).size).toBe(keys.length);
      expect(simulator.books.succeededCharges()).toHaveLength(paid.length);
      // Nothing left that a reader could still charge: every other PaymentIntent is cancelled.
      expect(
        intents.filter((intent) => intent.status !== "succeeded" && intent.status !== "canceled"),
      ).toEqual([]);
      expect(simulator.books.readers.get(simulator.readers[0] as string)?.action?.status).not.toBe(
        "in_progress",
      );
      // No charge without a completed record, no completed record without its charge.
      const paidByRecord = new Map(
        paid.map((intent) => [String(intent.metadata[KEY_METADATA]).replace(/^sale:/, ""), intent]),
      );
      expect([...paidByRecord.keys()].sort()).toEqual(completed.map((record) => record.id).sort());
      for (const record of completed) {
        const intent = paidByRecord.get(record.id);
        expect(intent?.amount).toBe(record.amount.minor);
        expect(record.method.type === "card" && record.method.processorReference).toBe(intent?.id);
      }
      const kioskSum = completed.reduce((sum, record) => sum + record.amount.minor, 0);
      expect(kioskSum).toBe(paid.reduce((sum, intent) => sum + intent.amount, 0));

      // What the children said before dying agrees with the records.
      for (const line of reported) {
        const [kind, id] = line.split(" ");
        const record = records.find((candidate) => candidate.id === id);
        if (kind === "approved") expect(record?.status).toBe("completed");
        if (kind === "declined") expect(record?.status).toBe("declined");
      }
      // The kills really landed among payments, and among declines too.
      expect(completed.length).toBeGreaterThan(KILLS / 10);
      expect(records.filter((record) => record.status === "declined").length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 600_000);
});
