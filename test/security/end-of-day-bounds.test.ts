import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import { AMOUNT_CEILING_MINOR } from "../../src/payments/record/bounds.js";
import { decodeMessage, encodeEndOfDayBatch } from "../../src/sync/protocol/codec.js";
import type { EndOfDayAck } from "../../src/sync/protocol/messages.js";
import { downlinkFilter } from "../../src/sync/protocol/topics.js";
import { sqlOf } from "../helpers/central-queries.js";
import { type Fleet, mqttClient, startFleet } from "../helpers/dashboard.js";
import { until } from "../helpers/wait.js";

const HONEST = "kiosk-eod-honest";
const ROGUE = "kiosk-eod-rogue";

const shift = (deviceId: string, id: string) => ({
  type: "shift",
  id,
  revision: 1,
  deviceId,
  openedAt: "2026-12-02T08:00:00.000Z",
  openedBy: "mgr",
  closedAt: null,
  closedBy: null,
});
const drawerCount = (deviceId: string, change: Record<string, unknown> = {}) => ({
  type: "drawer-count",
  id: newId(),
  revision: 1,
  deviceId,
  shiftId: "shift-1",
  currency: "USD",
  countedMinor: 10_000,
  expectedMinor: 10_000,
  differenceMinor: 0,
  countedBy: "mgr",
  countedAt: "2026-12-02T18:00:00.000Z",
  ...change,
});

/**
 * Hostile end-of-day items from a kiosk account: each is refused alone with a code (a dead letter,
 * acknowledged as rejected or a conflict so the kiosk stops resending), and nothing is stored.
 */
describe("end-of-day items from a hostile kiosk account (Mosquitto, PostgreSQL)", () => {
  let fleet: Fleet;
  let client: MqttClient;
  const acks: EndOfDayAck[] = [];
  const db = () => sqlOf(fleet.database.pool);

  const send = async (deviceId: string, items: readonly unknown[]): Promise<EndOfDayAck> => {
    const messageId = newId();
    const message = encodeEndOfDayBatch(
      deviceId,
      items.map((item) => JSON.stringify(item)),
      { messageId, sentAt: new Date().toISOString() },
    );
    await client.publishAsync(message.topic, message.body, { qos: 1 });
    let found: EndOfDayAck | undefined;
    await until(() => {
      found = acks.find((ack) => ack.batchId === messageId);
      return found !== undefined;
    }, "central's end-of-day ack");
    return found as EndOfDayAck;
  };
  const lettersFor = (id: string) =>
    db().query<{ code: string; device_id: string }>(
      "SELECT code, device_id FROM dead_letters WHERE record_id = $1 ORDER BY id",
      [id],
    );
  const stored = async (): Promise<number> => {
    const [row] = await db().query<{ n: unknown }>(
      "SELECT (SELECT count(*) FROM kiosk_shifts) + (SELECT count(*) FROM drawer_counts) + (SELECT count(*) FROM shift_reports) AS n",
    );
    return Number(row?.n);
  };

  beforeAll(async () => {
    fleet = await startFleet();
    client = await mqttClient(fleet.broker.url);
    client.on("message", (topic, body) => {
      const decoded = decodeMessage(topic, body, { direction: "down", maxBytes: 1 << 20 });
      if (decoded.ok && decoded.value.kind === "endOfDayAck") acks.push(decoded.value.payload);
    });
    await client.subscribeAsync(downlinkFilter(HONEST), { qos: 1 });
    await client.subscribeAsync(downlinkFilter(ROGUE), { qos: 1 });
    const ack = await send(HONEST, [shift(HONEST, "shift-honest")]);
    expect(ack.results).toEqual([{ id: "shift-honest", revision: 1, outcome: "stored" }]);
  }, 60_000);

  afterAll(async () => {
    await client?.endAsync();
    await fleet?.stop();
  });

  it("refuses counts whose difference lies, amounts past the ceiling or not whole, and stores none", async () => {
    const before = await stored();
    const lying = drawerCount(ROGUE, { differenceMinor: 5_000 });
    const huge = drawerCount(ROGUE, {
      countedMinor: AMOUNT_CEILING_MINOR + 1,
      differenceMinor: AMOUNT_CEILING_MINOR + 1 - 10_000,
    });
    const fraction = drawerCount(ROGUE, { countedMinor: 10_000.5, differenceMinor: 0.5 });
    const ack = await send(ROGUE, [lying, huge, fraction]);
    expect(ack.results.map((result) => result.outcome)).toEqual(["rejected", "rejected", "rejected"]);
    for (const item of [lying, huge, fraction])
      expect(await lettersFor(item.id)).toEqual([{ code: ErrorCodes.SYNC_RECORD_INVALID, device_id: ROGUE }]);
    expect(await stored()).toBe(before);
  }, 60_000);

  it("refuses an item in another kiosk's name, and a claim on another kiosk's shift", async () => {
    const before = await stored();
    const impersonated = drawerCount(HONEST);
    const ack = await send(ROGUE, [impersonated, { ...shift(ROGUE, "shift-honest"), openedBy: "rogue" }]);
    expect(ack.results.map((result) => result.outcome)).toEqual(["rejected", "conflict"]);
    expect(await lettersFor(impersonated.id)).toEqual([
      { code: ErrorCodes.SYNC_RECORD_FOREIGN, device_id: ROGUE },
    ]);
    expect(await lettersFor("shift-honest")).toEqual([
      { code: ErrorCodes.SYNC_RECORD_FOREIGN, device_id: ROGUE },
    ]);
    const [honest] = await db().query(
      "SELECT device_id, opened_by FROM kiosk_shifts WHERE id = 'shift-honest'",
    );
    expect(honest).toEqual({ device_id: HONEST, opened_by: "mgr" });
    expect(await stored()).toBe(before);
  }, 60_000);

  it("keeps the first content of a revision: a different one is a conflict, the same one a duplicate", async () => {
    const count = drawerCount(ROGUE);
    expect((await send(ROGUE, [count])).results[0]?.outcome).toBe("stored");
    expect((await send(ROGUE, [count])).results[0]?.outcome).toBe("duplicate");
    const changed = { ...count, countedMinor: 1, differenceMinor: -9_999 };
    expect((await send(ROGUE, [changed])).results[0]?.outcome).toBe("conflict");
    const [row] = await db().query("SELECT counted_minor::int AS counted FROM drawer_counts WHERE id = $1", [
      count.id,
    ]);
    expect(row).toEqual({ counted: 10_000 });
    expect((await lettersFor(count.id)).map((letter) => letter.code)).toEqual([
      ErrorCodes.SYNC_RECORD_CONFLICT,
    ]);
  }, 60_000);

  it("turns a malformed batch into a dead letter with a code, and keeps ingesting", async () => {
    const messageId = newId();
    const body = JSON.stringify({
      schema: 1,
      messageId,
      deviceId: ROGUE,
      sentAt: new Date().toISOString(),
      payload: { items: "all of them" },
    });
    await client.publishAsync(`spectra/v1/kiosks/${ROGUE}/up/end-of-day`, body, { qos: 1 });
    await until(async () => {
      const rows = await db().query("SELECT 1 FROM dead_letters WHERE message_id = $1", [messageId]);
      return rows.length === 1;
    }, "the malformed batch's dead letter");
    const [letter] = await db().query("SELECT code FROM dead_letters WHERE message_id = $1", [messageId]);
    expect(letter).toEqual({ code: ErrorCodes.SYNC_MESSAGE_INVALID });
    const ack = await send(HONEST, [drawerCount(HONEST)]);
    expect(ack.results[0]?.outcome).toBe("stored");
  }, 60_000);
});
