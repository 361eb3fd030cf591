import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../../src/core/error-codes.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { type CentralProcess, spawnCentral, untilLogged } from "../helpers/central-process.js";
import { centralRecordCount, sqlOf } from "../helpers/central-queries.js";
import { openTestStore, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { freePort } from "../helpers/ports.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { tempDir } from "../helpers/store.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";
import { expectDelivered, startAgent } from "../helpers/sync-harness.js";
import { type SwitchableProxy, switchableProxy } from "../helpers/tcp-proxy.js";
import { sleep, until } from "../helpers/wait.js";

interface ReceivingSocket {
  bind(path: string): void;
  on(event: "message", listener: (message: Buffer) => void): void;
  close(): void;
}
const unixDgram = createRequire(import.meta.url)("unix-dgram") as {
  createSocket(type: "unix_dgram"): ReceivingSocket;
};

/** A stand-in for systemd's notify socket: every datagram central sends. */
function notifySocket() {
  const dir = tempDir("spectra-notify-");
  const path = join(dir.path, "notify.sock");
  const socket = unixDgram.createSocket("unix_dgram");
  const messages: string[] = [];
  socket.on("message", (message) => messages.push(message.toString()));
  socket.bind(path);
  return {
    path,
    messages,
    close: () => {
      socket.close();
      dir.remove();
    },
  };
}

const STOP_LIMIT_MS = 10_000;

describe("central's lifecycle: waiting for its database, and SIGTERM within 10 s in every state", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  /** central's only way to its database: switched off, on, or hung by the tests. */
  let proxy: SwitchableProxy;
  let databaseUrl: string;
  const running: CentralProcess[] = [];
  const agents: SyncAgent[] = [];
  const stores: KioskStore[] = [];

  const start = (name: string, options: Parameters<typeof spawnCentral>[4] = {}): CentralProcess => {
    const central = spawnCentral(dir.path, name, databaseUrl, broker.url, options);
    running.push(central);
    return central;
  };
  const kiosk = (deviceId: string, records: number): { store: KioskStore; agent: SyncAgent } => {
    const store = openTestStore(join(dir.path, deviceId), deviceId);
    stores.push(store);
    seedRecords(store, sampleInvoice(), deviceId, records);
    const agent = startAgent(store, deviceId, broker.url);
    agents.push(agent);
    return { store, agent };
  };
  const expectStopsInTime = async (central: CentralProcess): Promise<void> => {
    const stopped = await central.terminate();
    expect(stopped.ms, central.output().slice(-3000)).toBeLessThan(STOP_LIMIT_MS);
    // Exit code 0: its own bounded stop did it, not the last-resort exit (code 1 at 9.5 s).
    expect(stopped.code).toBe(0);
    expect(stopped.signal).toBeNull();
  };

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    proxy = await switchableProxy({ host: "127.0.0.1", port: 5432 });
    databaseUrl = `postgres://postgres@127.0.0.1:${proxy.port}/${database.name}`;
  });

  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.stop();
    for (const central of running.splice(0)) await central.kill("SIGKILL");
  });

  afterAll(async () => {
    for (const store of stores) store.close();
    await proxy?.close();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("waits for an unreachable database — not ready on /healthz and to systemd — then serves once it comes", async () => {
    await proxy.close();
    const notify = notifySocket();
    try {
      const port = await freePort();
      const central = start("waiting", {
        central: { dashboard: { enabled: true, host: "127.0.0.1", port } },
        env: { NOTIFY_SOCKET: notify.path },
      });
      await untilLogged(central, "waiting for central's database");
      const health = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        return { status: response?.status ?? 0, text: (await response?.text()) ?? "" };
      };
      await until(async () => (await health()).status === 503, "/healthz to say not ready");
      expect((await health()).text).toContain("not ready");
      // It keeps waiting rather than exiting into systemd's start limit.
      await sleep(3000);
      expect(central.alive()).toBe(true);
      expect(notify.messages.some((text) => text.startsWith("STATUS=waiting for the database"))).toBe(true);
      expect(notify.messages.some((text) => text.includes("READY=1"))).toBe(false);
      expect(central.output()).toContain(`[${ErrorCodes.CENTRAL_DB_UNAVAILABLE}]`);

      await proxy.open();
      await untilLogged(central, "ingest subscribed", 60_000);
      await until(() => notify.messages.some((text) => text.startsWith("READY=1")), "READY=1", 10_000);
      await until(async () => (await health()).status === 200, "/healthz to say ok");
      const { store } = kiosk("kiosk-after-wait", 100);
      await until(() => store.outbox.depth().depth === 0, "the kiosk's records to sync", 60_000);
      await expectDelivered([store], sqlOf(database.pool), ["kiosk-after-wait"]);

      // The database goes away after start: /healthz says so, and central waits without exiting.
      await proxy.close();
      await until(async () => (await health()).status === 503, "/healthz to say not ready again");
      await expectStopsInTime(central);
      expect(notify.messages.at(-1)).toBe("STOPPING=1");
    } finally {
      notify.close();
    }
  }, 120_000);

  it("stops within 10 s while waiting for its database", async () => {
    await proxy.close();
    const central = start("stop-waiting");
    await untilLogged(central, "waiting for central's database");
    await expectStopsInTime(central);
  }, 60_000);

  it("stops within 10 s mid-batch, and a restart loses nothing", async () => {
    await proxy.open();
    const central = start("stop-mid-batch", { ingest: { maxBatchRecords: 200 } });
    await untilLogged(central, "ingest subscribed");
    const { store } = kiosk("kiosk-mid-batch", 6000);
    const db = sqlOf(database.pool);
    await until(async () => (await centralRecordCount(db)) > 200, "records to flow", 60_000, 5);
    expect(store.outbox.depth().depth).toBeGreaterThan(0);
    await expectStopsInTime(central);
    const again = start("after-mid-batch");
    await untilLogged(again, "ingest subscribed");
    await until(() => store.outbox.depth().depth === 0, "the rest to sync after the restart", 90_000);
    await expectDelivered([store], db, ["kiosk-mid-batch"]);
  }, 180_000);

  it("stops within 10 s while its database is down and batches are retrying", async () => {
    await proxy.open();
    const central = start("stop-db-down");
    await untilLogged(central, "ingest subscribed");
    await proxy.close();
    kiosk("kiosk-db-down", 300);
    await untilLogged(central, "does not take writes", 30_000);
    await expectStopsInTime(central);
  }, 60_000);

  it("stops within 10 s while its database hangs mid-transaction", async () => {
    await proxy.open();
    const central = start("stop-db-hung");
    await untilLogged(central, "ingest subscribed");
    proxy.hang();
    kiosk("kiosk-db-hung", 300);
    await sleep(2000);
    await expectStopsInTime(central);
    await proxy.close();
  }, 60_000);

  it("stops within 10 s while the broker is down", async () => {
    await proxy.open();
    const central = start("stop-broker-down");
    await untilLogged(central, "ingest subscribed");
    await broker.stop();
    await untilLogged(central, "lost the connection", 30_000);
    await expectStopsInTime(central);
    await broker.start();
  }, 60_000);
});
