import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertWebhookBody } from "../../src/central/alerts/alert-message.js";
import { AlertNotifier } from "../../src/central/alerts/alert-notifier.js";
import {
  type AlertChange,
  alertHistory,
  clearAlert,
  raiseAlert,
} from "../../src/central/alerts/alert-store.js";
import { AlertWatch } from "../../src/central/alerts/alert-watch.js";
import { alertsConfigSchema } from "../../src/central/alerts/config.js";
import { NotificationOutbox } from "../../src/central/alerts/notification-outbox.js";
import { alertHistoryTable } from "../../src/central/dashboard/view/alert-rows.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { mailConfigSchema } from "../../src/central/mail/config.js";
import { createMailer } from "../../src/central/mail/mailer.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { type Clock, fixedClock, systemClock } from "../../src/core/clock.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { startTestSmtpServer, type TestSmtpServer } from "../helpers/smtp-server.js";
import { sleep } from "../helpers/wait.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";

const HOOK_SECRET = "a-shared-secret-for-the-hook-0123";
const TO = ["ops@studio.example", "owner@studio.example"];
const DAY_MS = 86_400_000;

/**
 * Notifications that a central process committed but never sent (it was killed between the commit
 * and the send) are sent by another central process after the claim's lease, exactly once, even
 * when two processes look at once; too old, they are marked failed instead. Each "process" is an
 * alert watch with its own pool on one private PostgreSQL database, sending through the SMTP test
 * server and to an HTTP receiver.
 */
describe("alert notifications survive a crash of the central process that made them (PostgreSQL, SMTP, a web hook)", () => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let hooks: WebhookReceiver;
  const opened: CentralDb[] = [];
  const centrals: { watch: AlertWatch; notifier: AlertNotifier }[] = [];
  const config = alertsConfigSchema.parse({});

  const openDb = async (): Promise<CentralDb> => {
    const db = await openPostgres({ url: database.url, poolSize: 3, logger: createMemoryLogger() });
    opened.push(db);
    return db;
  };

  /** One central process's alert side: its own pool, claimant, mailer and web hook. */
  const startCentral = async (name: string) => {
    const db = await openDb();
    const logger = createMemoryLogger();
    const mail = mailConfigSchema.parse({
      host: smtp.host,
      port: smtp.port,
      tls: "none",
      from: { address: "fleet@studio.example" },
    });
    const outbox = new NotificationOutbox({
      db,
      claimant: `${name}:${process.pid}`,
      leaseMs: 120_000,
      maxAgeMs: DAY_MS,
      clock: systemClock,
    });
    const notifier = new AlertNotifier({
      outbox,
      email: { mailer: createMailer(mail, logger), to: TO, attempts: 3 },
      webhook: { url: hooks.url, timeoutMs: 3000, attempts: 3, secret: HOOK_SECRET, pauseMs: () => 50 },
      dashboardUrl: "https://fleet.studio.example",
      logger,
    });
    const watch = new AlertWatch({ db, config, notifier, outbox, logger, clock: systemClock });
    centrals.push({ watch, notifier });
    return { db, outbox, notifier, watch, logger };
  };

  /**
   * What a process killed right after its commit leaves: the raise (or clear) and its notifications,
   * pending and claimed by it until `leaseMs` from its clock's now.
   */
  const crashedAfterCommit = async (
    deviceId: string,
    event: AlertChange["event"],
    options: { leaseMs: number; clock?: Clock },
  ): Promise<AlertChange> => {
    const db = await openDb();
    const clock = options.clock ?? systemClock;
    const outbox = new NotificationOutbox({
      db,
      claimant: `killed-central:${deviceId}`,
      leaseMs: options.leaseMs,
      maxAgeMs: DAY_MS,
      clock,
    });
    const at = clock.now().toISOString();
    return db.transaction(async (tx) => {
      const alert =
        event === "raised"
          ? await raiseAlert(tx, deviceId, "offline", `offline since ${at}`, at)
          : await clearAlert(tx, deviceId, "offline", at);
      if (!alert) throw new Error(`no ${event} for ${deviceId}`);
      await outbox.queue(tx, { event, alert }, ["email", "webhook"]);
      return { event, alert };
    });
  };

  const rowsOf = (alertId: string) =>
    database.pool
      .query<{
        event: string;
        channel: string;
        outcome: string;
        attempts: number;
        error: string | null;
        claimed_by: string | null;
      }>(
        "SELECT event, channel, outcome, attempts, error, claimed_by FROM alert_notifications WHERE alert_id = $1 ORDER BY id",
        [alertId],
      )
      .then((result) => result.rows);
  const mailsFor = (deviceId: string) =>
    smtp.messages.filter((mail) => mail.subject.endsWith(`— ${deviceId}`));
  const hooksFor = (deviceId: string) =>
    hooks.accepted.filter((hook) => (JSON.parse(hook.body) as AlertWebhookBody).alert.deviceId === deviceId);
  const roundAll = async (...watches: AlertWatch[]) => {
    await Promise.all(watches.map((watch) => watch.round()));
    await Promise.all(centrals.map((central) => central.notifier.settled()));
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startTestSmtpServer();
    hooks = await startWebhookReceiver();
    const db = await openDb();
    await migrateCentral(db, createMemoryLogger());
  }, 60_000);

  afterAll(async () => {
    for (const central of centrals) await central.watch.stop();
    for (const db of opened) await db.close();
    await database?.drop();
    await hooks?.close();
    await smtp?.close();
  });

  it("sends a raise whose process died after the commit, from another process once the claim ran out, once", async () => {
    const lost = await crashedAfterCommit("kiosk-crash-01", "raised", { leaseMs: 5000 });
    // Pending, and shown so on the Alerts page.
    expect((await rowsOf(lost.alert.id)).map((row) => row.outcome)).toEqual(["pending", "pending"]);
    const [entry] = await alertHistory(await openDb(), {
      deviceId: "kiosk-crash-01",
      rule: null,
      beforeId: null,
      limit: 5,
    });
    const page = alertHistoryTable(entry ? [entry] : [], { now: new Date(), showKiosk: true }).toString();
    expect(page).toContain('data-value="raised-email-pending"');
    expect(page).toContain('data-value="raised-webhook-pending"');

    const other = await startCentral("central-b");
    // The dead process's claim still holds: nobody sends it yet.
    await roundAll(other.watch);
    expect(mailsFor("kiosk-crash-01")).toHaveLength(0);
    expect(hooksFor("kiosk-crash-01")).toHaveLength(0);

    await sleep(5100);
    await roundAll(other.watch);
    expect(mailsFor("kiosk-crash-01").map((mail) => [mail.subject, mail.envelopeTo])).toEqual([
      ["[Spectra] Alert: Offline — kiosk-crash-01", TO],
    ]);
    const [hook] = hooksFor("kiosk-crash-01");
    expect(JSON.parse(hook?.body ?? "{}")).toMatchObject({
      event: "raised",
      alert: { id: lost.alert.id, deviceId: "kiosk-crash-01", clearedAt: null },
      kioskUrl: "https://fleet.studio.example/kiosks/kiosk-crash-01",
    });
    expect(hook?.headers["x-spectra-signature"]).toBe(
      `sha256=${createHmac("sha256", HOOK_SECRET)
        .update(hook?.body ?? "")
        .digest("hex")}`,
    );
    expect(await rowsOf(lost.alert.id)).toEqual([
      {
        event: "raised",
        channel: "email",
        outcome: "sent",
        attempts: 1,
        error: null,
        claimed_by: `central-b:${process.pid}`,
      },
      {
        event: "raised",
        channel: "webhook",
        outcome: "sent",
        attempts: 1,
        error: null,
        claimed_by: `central-b:${process.pid}`,
      },
    ]);

    // More rounds, by this process and a third: sent once.
    const third = await startCentral("central-c");
    await roundAll(other.watch, third.watch);
    await roundAll(other.watch, third.watch);
    expect(mailsFor("kiosk-crash-01")).toHaveLength(1);
    expect(hooksFor("kiosk-crash-01")).toHaveLength(1);
  }, 60_000);

  it("sends each abandoned notification once when two processes take over at the same moment", async () => {
    const kiosks = Array.from({ length: 8 }, (_, n) => `kiosk-race-${n}`);
    for (const kiosk of kiosks) await crashedAfterCommit(kiosk, "raised", { leaseMs: 0 });
    // A clear lost the same way: its raise was sent long ago.
    await crashedAfterCommit("kiosk-race-0", "cleared", { leaseMs: 0 });
    const [one, two] = [await startCentral("central-d"), await startCentral("central-e")];
    await roundAll(one.watch, two.watch);
    await roundAll(one.watch, two.watch);
    for (const kiosk of kiosks) {
      expect(mailsFor(kiosk).filter((mail) => mail.subject.startsWith("[Spectra] Alert:"))).toHaveLength(1);
      expect(hooksFor(kiosk).filter((hook) => hook.body.includes('"event":"raised"'))).toHaveLength(1);
    }
    expect(
      mailsFor("kiosk-race-0").filter((mail) => mail.subject.startsWith("[Spectra] Cleared:")),
    ).toHaveLength(1);
    const { rows } = await database.pool.query<{ outcome: string; claimed_by: string; count: string }>(
      `SELECT outcome, claimed_by, count(*) AS count FROM alert_notifications n JOIN alerts a ON a.id = n.alert_id
       WHERE a.device_id LIKE 'kiosk-race-%' GROUP BY outcome, claimed_by`,
    );
    expect(rows.every((row) => row.outcome === "sent")).toBe(true);
    expect(rows.reduce((sum, row) => sum + Number(row.count), 0)).toBe(2 * (kiosks.length + 1));
  }, 60_000);

  it("gives each abandoned notification to one claimant only, however the claims interleave", async () => {
    const db = await openDb();
    const at = new Date().toISOString();
    const dead = new NotificationOutbox({
      db,
      claimant: "killed-central:bulk",
      leaseMs: 0,
      maxAgeMs: DAY_MS,
      clock: systemClock,
    });
    for (let n = 0; n < 150; n++)
      await db.transaction(async (tx) => {
        const alert = await raiseAlert(tx, `kiosk-bulk-${n}`, "offline", "offline", at);
        if (!alert) throw new Error("not raised");
        await dead.queue(tx, { event: "raised", alert }, ["email", "webhook"]);
      });
    const claimants = await Promise.all(
      Array.from(
        { length: 3 },
        async (_, n) =>
          new NotificationOutbox({
            db: await openDb(),
            claimant: `claimant-${n}`,
            leaseMs: 120_000,
            maxAgeMs: DAY_MS,
            clock: systemClock,
          }),
      ),
    );
    const taken: string[][] = [[], [], []];
    // Small batches, all at once, until nothing is left.
    for (let round = 0; round < 200; round++) {
      const batches = await Promise.all(
        claimants.map((outbox) => outbox.claimAbandoned(["email", "webhook"], 7)),
      );
      for (const [n, batch] of batches.entries()) taken[n]?.push(...batch.map((claimed) => claimed.id));
      if (batches.every((batch) => batch.length === 0)) break;
    }
    const all = taken.flat();
    expect(all).toHaveLength(300);
    expect(new Set(all).size).toBe(300);
    const { rows } = await database.pool.query<{ claimed_by: string; count: string }>(
      "SELECT claimed_by, count(*) AS count FROM alert_notifications WHERE claimed_by LIKE 'claimant-%' GROUP BY claimed_by ORDER BY claimed_by",
    );
    expect(rows.map((row) => [row.claimed_by, Number(row.count)])).toEqual(
      taken.map((ids, n) => [`claimant-${n}`, ids.length]).filter(([, count]) => count !== 0),
    );
    // Released so that the following tests see no one else's leftovers.
    await database.pool.query(
      "UPDATE alert_notifications SET outcome = 'failed' WHERE claimed_by LIKE 'claimant-%'",
    );
  }, 60_000);

  it("marks a notification too old to send as failed with its code, and sends nothing", async () => {
    const longAgo = fixedClock(new Date(Date.now() - DAY_MS - 60_000).toISOString());
    const stale = await crashedAfterCommit("kiosk-stale-01", "raised", { leaseMs: 120_000, clock: longAgo });
    const central = await startCentral("central-f");
    await roundAll(central.watch);
    expect(mailsFor("kiosk-stale-01")).toHaveLength(0);
    expect(hooksFor("kiosk-stale-01")).toHaveLength(0);
    const rows = await rowsOf(stale.alert.id);
    expect(rows.map((row) => [row.channel, row.outcome, row.attempts])).toEqual([
      ["email", "failed", 0],
      ["webhook", "failed", 0],
    ]);
    expect(rows.every((row) => row.error?.startsWith(`[${ErrorCodes.ALERT_NOTIFICATION_EXPIRED}]`))).toBe(
      true,
    );
    expect(central.logger.lines.join("\n")).toContain(ErrorCodes.ALERT_NOTIFICATION_EXPIRED);
  }, 60_000);

  it("lets a process send only what it still holds: a claim taken over is lost to it, one past the age is failed", async () => {
    const db = await openDb();
    const outboxOf = (claimant: string, leaseMs: number, clock: Clock = systemClock) =>
      new NotificationOutbox({ db, claimant, leaseMs, maxAgeMs: DAY_MS, clock });
    // A slow process whose claim ran out while the notification waited in its queue; another took it.
    const slow = outboxOf("central-slow", 0);
    const at = new Date().toISOString();
    const queued = await db.transaction(async (tx) => {
      const alert = await raiseAlert(tx, "kiosk-slow-01", "offline", "offline", at);
      if (!alert) throw new Error("not raised");
      return slow.queue(tx, { event: "raised", alert }, ["email"]);
    });
    const taker = outboxOf("central-taker", 120_000);
    const taken = await taker.claimAbandoned(["email", "webhook"], 100);
    expect(taken.map((claimed) => claimed.id)).toEqual(queued.map((claimed) => claimed.id));
    expect(await slow.startSend(queued[0]?.id ?? "")).toBe("lost");
    expect(await slow.settle(queued[0]?.id ?? "", { outcome: "sent", attempts: 1, error: null })).toBe(false);
    // A process that holds a notification from more than a day ago does not send it.
    const longAgo = fixedClock(new Date(Date.now() - DAY_MS - 60_000).toISOString());
    const old = outboxOf("central-old", 120_000, longAgo);
    const oldQueued = await db.transaction(async (tx) => {
      const alert = await raiseAlert(tx, "kiosk-old-01", "offline", "offline", longAgo.now().toISOString());
      if (!alert) throw new Error("not raised");
      return old.queue(tx, { event: "raised", alert }, ["webhook"]);
    });
    expect(await outboxOf("central-old", 120_000).startSend(oldQueued[0]?.id ?? "")).toBe("expired");
    const [row] = await rowsOf(oldQueued[0]?.change.alert.id ?? "");
    expect(row?.outcome).toBe("failed");
    expect(row?.error).toContain(ErrorCodes.ALERT_NOTIFICATION_EXPIRED);
    // Taken (and not sent here): the taker sends it, no one else.
    expect(await taker.startSend(taken[0]?.id ?? "")).toBe("send");
  }, 60_000);
});
