import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type CardService, startCardService } from "../../src/checkout/cards/card-service.js";
import { fixedClock } from "../../src/core/clock.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { type ProcessorConfig, processorConfigSchema } from "../../src/processors/config.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { keyOnHostedForm } from "../helpers/authorize-net.js";
import { CARDS, type CardRig, cardDraft, cardRig, simRefunds } from "../helpers/card-payments.js";
import { invoice, STAFF } from "../helpers/payments.js";
import { ledgerOn, SETTINGS, type TestStore, tempDir, testStore } from "../helpers/store.js";

const KEYED = { methodFields: { type: "card", entryMode: "keyed" } } as const;
const MANAGER = { id: "mgr", role: "manager" } as const;
const DELETE_REQUEST = '"deleteCustomerProfileRequest"';

let rig: CardRig | undefined;
let simulator: RunningAuthorizeNetSimulator | undefined;
let store: TestStore | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
  store?.dispose();
  store = undefined;
  await simulator?.close();
  simulator = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Staff open the hosted form and key this card there; the entry's session is its customer profile. */
async function keyedEntry(charger: CardService["charger"], sim: RunningAuthorizeNetSimulator, pan: string) {
  const entry = await charger.startKeyedEntry("charge", { minor: 3_000, currency: "USD" });
  await keyOnHostedForm(sim, entry, pan);
  expect((await charger.keyedEntryStatus(entry.sessionId, entry.collection)).state).toBe("completed");
  return entry;
}

/** The configuration a studio kiosk names Authorize.Net with, pointed at this simulator. */
function authorizeNetConfig(running: RunningAuthorizeNetSimulator): ProcessorConfig {
  const scratch = mkdtempSync(join(tmpdir(), "spectra-keyed-ca-"));
  cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
  const caFile = join(scratch, "ca.pem");
  writeFileSync(caFile, running.ca ?? "");
  return processorConfigSchema.parse({
    kind: "authorize-net",
    endpoint: running.endpoint,
    hostedFormUrl: running.hostedFormUrl,
    caFile,
    apiLoginId: running.apiLoginId,
    timeoutMs: 1_500,
  });
}

function cardService(on: Parameters<typeof startCardService>[0]["store"], clock: TestStore["clock"]) {
  const logger = createMemoryLogger();
  return {
    logger,
    start: (running: RunningAuthorizeNetSimulator) =>
      startCardService({
        config: authorizeNetConfig(running),
        store: on,
        clock,
        timeZone: "America/Denver",
        logger,
        intervalMs: 0,
        readSecret: () => running.transactionKey,
      }),
  };
}

describe("a card keyed on Authorize.Net's hosted form", () => {
  it("is deleted from the studio's account after the charge when the client did not agree to keep it", async () => {
    rig = await cardRig();
    const entry = await keyedEntry(rig.charger, rig.simulator, CARDS.approve);
    expect(rig.store.keyedEntries.get(entry.sessionId)?.state).toBe("open");
    const outcome = await rig.charger.pay(cardDraft(3_000, KEYED), STAFF, {
      kind: "hosted",
      sessionId: entry.sessionId,
    });
    expect(outcome.kind).toBe("approved");
    await rig.charger.whenIdle();
    expect(rig.simulator.books.profiles.has(entry.sessionId)).toBe(false);
    expect(rig.store.keyedEntries.get(entry.sessionId)).toMatchObject({ state: "deleted", consent: false });
    expect(rig.store.savedCards.forClient(outcome.record.clientId)).toEqual([]);

    // The charge stays refundable: with its profile gone, the refund goes to the card's last 4.
    rig.simulator.settle();
    const refund = await rig.charger.refund(
      { ...cardDraft(1_000, KEYED), kind: "refund", refundOf: outcome.record.id },
      MANAGER,
    );
    expect(refund.kind).toBe("approved");
    expect(simRefunds(rig.simulator)).toEqual([expect.objectContaining({ amountMinor: 1_000 })]);
  });

  it("stays, as the client's saved card, when they agreed and the payment is approved", async () => {
    rig = await cardRig();
    const entry = await keyedEntry(rig.charger, rig.simulator, CARDS.approveMastercard);
    const outcome = await rig.charger.pay(
      cardDraft(3_000, KEYED),
      STAFF,
      { kind: "hosted", sessionId: entry.sessionId },
      { saveCard: true },
    );
    expect(outcome.kind).toBe("approved");
    await rig.charger.whenIdle();
    expect(rig.simulator.books.profiles.get(entry.sessionId)?.paymentProfiles).toHaveLength(1);
    expect(rig.store.keyedEntries.get(entry.sessionId)).toMatchObject({ state: "kept", consent: true });
    expect(rig.store.savedCards.forClient(outcome.record.clientId)).toEqual([
      expect.objectContaining({
        token: expect.stringMatching(new RegExp(`^${entry.sessionId}/`)),
        last4: "0015",
      }),
    ]);
  });

  it("is deleted when the charge is declined, even with consent, and when staff cancel the entry", async () => {
    rig = await cardRig();
    const declinedEntry = await keyedEntry(rig.charger, rig.simulator, CARDS.declined);
    const declined = await rig.charger.pay(
      cardDraft(3_000, KEYED),
      STAFF,
      { kind: "hosted", sessionId: declinedEntry.sessionId },
      { saveCard: true },
    );
    expect(declined.kind).toBe("declined");
    await rig.charger.whenIdle();
    expect(rig.simulator.books.profiles.has(declinedEntry.sessionId)).toBe(false);

    const cancelled = await keyedEntry(rig.charger, rig.simulator, CARDS.approve);
    await rig.charger.cancelKeyedEntry(cancelled.sessionId, cancelled.collection);
    expect(rig.simulator.books.profiles.has(cancelled.sessionId)).toBe(false);
    expect(rig.store.keyedEntries.get(cancelled.sessionId)?.state).toBe("deleted");
  });

  it("is deleted later when Authorize.Net is down at the delete: retried with backoff until it answers", async () => {
    let tripped = false;
    const running = await startAuthorizeNetSimulator({
      onRequest: (body) => {
        // The processor goes down just as the kiosk asks for the delete.
        if (!tripped && body.includes(DELETE_REQUEST)) {
          tripped = true;
          running.setOutage(true);
        }
      },
    });
    simulator = running;
    store = testStore({ processorKind: "gateway" });
    const service = cardService(store, store.clock);
    const cards = await service.start(running);
    const entry = await keyedEntry(cards.charger, running, CARDS.approve);
    const outcome = await cards.charger.pay(cardDraft(3_000, KEYED), STAFF, {
      kind: "hosted",
      sessionId: entry.sessionId,
    });
    expect(outcome.kind).toBe("approved");
    await cards.charger.whenIdle();
    expect(tripped).toBe(true);
    expect(running.books.profiles.has(entry.sessionId)).toBe(true);
    expect(store.keyedEntries.get(entry.sessionId)).toMatchObject({
      state: "to-delete",
      attempts: 1,
      nextTryAt: new Date(store.clock.now().getTime() + 30_000).toISOString(),
    });
    expect(service.logger.lines.join("\n")).toContain(ErrorCodes.KEYED_CARD_NOT_DELETED);

    running.setOutage(false);
    await cards.tick(); // before the backoff has passed: not tried
    expect(running.books.profiles.has(entry.sessionId)).toBe(true);
    store.clock.advance(31_000);
    await cards.tick();
    expect(running.books.profiles.has(entry.sessionId)).toBe(false);
    expect(store.keyedEntries.get(entry.sessionId)?.state).toBe("deleted");
    await cards.stop();
  });
});

const WRITER = fileURLToPath(new URL("./keyed-writer-authorize-net.mjs", import.meta.url));

describe("a kiosk killed between a keyed card's charge and its deletion", () => {
  it("deletes the card when its card layer starts again", async () => {
    const dir = tempDir("spectra-keyed-kill-");
    cleanups.push(() => dir.remove());
    const path = join(dir.path, "kiosk.sqlite");
    const settings = { ...SETTINGS, processorKind: "gateway" as const };
    const clock = fixedClock("2026-11-26T17:00:00Z");
    const seed = openKioskStore({ path, deviceId: settings.deviceId, clock, logger: createMemoryLogger() });
    seed.invoices.upsertInvoice(invoice(), clock.now().toISOString());
    seed.close();

    let kill: (() => void) | null = null;
    const running = await startAuthorizeNetSimulator({
      onRequest: (body) => {
        // SIGKILL as the delete goes out: it is never acted on (the process died with it).
        if (kill && body.includes(DELETE_REQUEST)) {
          running.setOutage(true);
          kill();
          kill = null;
        }
      },
    });
    simulator = running;
    const caFile = join(dir.path, "ca.pem");
    writeFileSync(caFile, running.ca ?? "");
    const simulatorJson = JSON.stringify({
      endpoint: running.endpoint,
      hostedFormUrl: running.hostedFormUrl,
      apiLoginId: running.apiLoginId,
      transactionKey: running.transactionKey,
      caFile,
    });
    const child = spawn(
      process.execPath,
      [WRITER, path, JSON.stringify(settings), simulatorJson, CARDS.approve],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    kill = () => child.kill("SIGKILL");
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("close", (_code, sig) => resolve(sig)),
    );
    expect(signal, stderr).toBe("SIGKILL");
    running.setOutage(false);
    const sessionId = /^keyed (\d+)$/m.exec(stdout)?.[1] ?? "";
    expect(running.books.profiles.has(sessionId)).toBe(true);

    // The child stamped its rows with the real time: the restart runs on it too.
    const now = fixedClock(new Date().toISOString());
    const tables = openKioskStore({
      path,
      deviceId: settings.deviceId,
      clock: now,
      logger: createMemoryLogger(),
    });
    const reopened = { ...tables, ledger: ledgerOn(tables, settings, now) };
    cleanups.unshift(() => reopened.close());
    const [record] = reopened.records.forInvoice("inv-1");
    expect(record?.status).toBe("completed");
    expect(reopened.keyedEntries.get(sessionId)?.state).toBe("to-delete");

    const cards = await cardService(reopened, now).start(running);
    expect(running.books.profiles.has(sessionId)).toBe(false);
    expect(reopened.keyedEntries.get(sessionId)?.state).toBe("deleted");
    await cards.stop();
  }, 60_000);
});
