import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../../src/core/error-codes.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { sqlOf } from "../helpers/central-queries.js";
import {
  DashboardClient,
  type Fleet,
  mqttClient,
  startFleet,
  startKioskAgent,
} from "../helpers/dashboard.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-letters";
/** An amount central's database is made to refuse (a CHECK constraint), then to take again. */
const REFUSED_AMOUNT = 4242;

/**
 * A record the kiosk synced, refused by central's database (rejected ack, a needs-attention item on
 * the kiosk, a dead letter); after the fix it is replayed from the dashboard and lands once, and the
 * kiosk stops listing it. Dismissal needs a reason and moves a letter out of the open list.
 */
describe("dead letters from the dashboard: replay after a fix, dismiss with a reason (PostgreSQL, Mosquitto)", () => {
  let fleet: Fleet;
  let store: KioskStore;
  let agent: SyncAgent;
  let client: DashboardClient;
  const dir = scratchDir();
  const invoice = sampleInvoice();
  const record = sampleRecord(invoice, KIOSK, REFUSED_AMOUNT);
  const db = () => sqlOf(fleet.database.pool);
  const storedCount = async () =>
    Number(
      (
        await db().query<{ n: unknown }>("SELECT count(*) AS n FROM payment_records WHERE id = $1", [
          record.id,
        ])
      )[0]?.n,
    );
  const letterIdOf = async (where: string, params: unknown[]): Promise<string> => {
    const [row] = await db().query<{ id: unknown }>(`SELECT id FROM dead_letters WHERE ${where}`, params);
    if (!row) throw new Error("no such letter");
    return String(row.id);
  };
  const post = async (path: string, fields: Record<string, string> = {}) =>
    client.post(path, { csrf: await client.csrf(), ...fields });

  beforeAll(async () => {
    fleet = await startFleet();
    await db().query(
      `ALTER TABLE payment_records ADD CONSTRAINT no_${REFUSED_AMOUNT} CHECK (amount_minor <> ${REFUSED_AMOUNT})`,
    );
    store = openTestStore(`${dir.path}/${KIOSK}`, KIOSK);
    store.invoices.upsertInvoice(invoice, new Date().toISOString());
    store.records.insert(record, "csh");
    agent = startKioskAgent(store, KIOSK, fleet.broker.url);
    await until(() => store.outbox.refused().length === 1, "the kiosk told its record was rejected");
    client = new DashboardClient(fleet.url);
    await client.signIn();
  });

  afterAll(async () => {
    await agent?.stop();
    store?.close();
    await fleet?.stop();
    dir.remove();
  });

  it("replays a record the database refused: refused again before the fix, stored once after, and the kiosk's item clears", async () => {
    expect(store.outbox.refused()[0]).toMatchObject({ recordId: record.id, outcome: "rejected" });
    const id = await letterIdOf("record_id = $1", [record.id]);
    const list = await client.get("/dead-letters");
    expect(list.text).toContain(`data-id="${id}"`);
    expect(list.text).toContain('data-test="open-count">1 open<');
    expect(list.text).toContain(`action="/dead-letters/${id}/replay"`);

    // Before the fix: refused again, with the new reason and a code; still open, nothing stored.
    const refused = await post(`/dead-letters/${id}/replay`);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`[${ErrorCodes.DEAD_LETTER_REPLAY_FAILED}]`);
    expect(refused.text).toContain(`no_${REFUSED_AMOUNT}`);
    expect(await storedCount()).toBe(0);

    await db().query(`ALTER TABLE payment_records DROP CONSTRAINT no_${REFUSED_AMOUNT}`);
    const replayed = await post(`/dead-letters/${id}/replay`);
    expect(replayed.status).toBe(303);
    expect(replayed.location).toMatch(/done=replayed/);
    const after = await client.get(replayed.location ?? "");
    expect(after.text).toContain(`Dead letter #${id} replayed: stored.`);
    expect(after.text).toContain("Its kiosk was sent central&#39;s new answer");
    expect(after.text).not.toContain(`data-id="${id}"`);
    expect(await storedCount()).toBe(1);
    // The kiosk had it as "needs attention"; central's new answer clears that.
    await until(() => store.outbox.refused().length === 0, "the kiosk's refusal made good");

    // Replaying again changes nothing and says why.
    const twice = await post(`/dead-letters/${id}/replay`);
    expect(twice.status).toBe(400);
    expect(twice.text).toContain(`[${ErrorCodes.DEAD_LETTER_RESOLVED}]`);
    expect(await storedCount()).toBe(1);

    const resolved = await client.get("/dead-letters?status=resolved");
    expect(resolved.text).toMatch(new RegExp(`data-id="${id}"[^>]*data-status="replayed"`));
    const audit = await db().query<{ action: string; user_name: string; detail: { result: string } }>(
      "SELECT action, user_name, detail FROM dashboard_audit WHERE action LIKE 'dead-letter-%' AND detail ->> 'letterId' = $1 ORDER BY id",
      [id],
    );
    expect(audit.map((row) => [row.action, row.user_name, row.detail.result])).toEqual([
      ["dead-letter-replay", "ops@studio", "still refused"],
      ["dead-letter-replay", "ops@studio", "replayed"],
    ]);
    expect((await client.get("/audit")).text).toContain(
      `dead letter <a href="/dead-letters?status=all#letter-${id}">#${id}</a> replayed`,
    );
  }, 60_000);

  it("dismisses only with a reason, within bounds and with a CSRF token; the letter leaves the open list", async () => {
    const mqtt = await mqttClient(fleet.broker.url);
    await mqtt.publishAsync(`spectra/v1/kiosks/${KIOSK}/up/records`, "not json at all", { qos: 1 });
    await mqtt.endAsync();
    await until(
      async () =>
        (await db().query("SELECT 1 FROM dead_letters WHERE code = $1", [ErrorCodes.SYNC_MESSAGE_NOT_JSON]))
          .length === 1,
      "the malformed message's dead letter",
    );
    const id = await letterIdOf("code = $1", [ErrorCodes.SYNC_MESSAGE_NOT_JSON]);
    const status = async () =>
      (await db().query<{ status: string }>("SELECT status FROM dead_letters WHERE id = $1", [id]))[0]
        ?.status;

    const blank = await post(`/dead-letters/${id}/dismiss`, { reason: "   " });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain(`[${ErrorCodes.DEAD_LETTER_REASON_REQUIRED}]`);
    const tooLong = await post(`/dead-letters/${id}/dismiss`, { reason: "x".repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain(`data-code="${ErrorCodes.DASHBOARD_FORM_INVALID}"`);
    const noToken = await client.post(`/dead-letters/${id}/dismiss`, { reason: "no token" });
    expect(noToken.status).toBe(403);
    const unknown = await post("/dead-letters/999999/dismiss", { reason: "whatever" });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain(`[${ErrorCodes.DEAD_LETTER_UNKNOWN}]`);
    expect(await status()).toBe("open");

    const dismissed = await post(`/dead-letters/${id}/dismiss`, {
      reason: "A test client's <b>garbage</b>; nothing to do",
    });
    expect(dismissed.status).toBe(303);
    expect(await status()).toBe("dismissed");
    const open = await client.get("/dead-letters");
    expect(open.text).not.toContain(`data-id="${id}"`);
    expect(open.text).toContain('data-test="open-count">0 open<');
    const all = await client.get("/dead-letters?status=all");
    expect(all.text).toMatch(new RegExp(`data-id="${id}"[^>]*data-status="dismissed"`));
    expect(all.text).toContain("A test client&#39;s &lt;b&gt;garbage&lt;/b&gt;; nothing to do");
    const [entry] = await db().query<{
      user_name: string;
      device_id: string | null;
      detail: { reason: string };
    }>(
      "SELECT user_name, device_id, detail FROM dashboard_audit WHERE action = 'dead-letter-dismiss' AND detail ->> 'letterId' = $1",
      [id],
    );
    expect(entry).toEqual({
      user_name: "ops@studio",
      device_id: KIOSK,
      detail: { letterId: id, reason: "A test client's <b>garbage</b>; nothing to do" },
    });
  }, 60_000);
});
