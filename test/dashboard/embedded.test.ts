import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningKiosk, startKiosk } from "../../src/app/kiosk.js";
import { addUser } from "../../src/central/dashboard/auth/users.js";
import { generateCommandKey } from "../../src/central/dashboard/control/command-key.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { commandPublicKey, hasValidSignature } from "../../src/sync/protocol/command-signature.js";
import type { Command } from "../../src/sync/protocol/messages.js";
import { DashboardClient, OPERATOR } from "../helpers/dashboard.js";
import { testConfig } from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { until } from "../helpers/wait.js";

describe("embedded mode (npm start): the dashboard on PGlite and the in-process broker", () => {
  const dir = scratchDir();
  let kiosk: RunningKiosk | null = null;
  afterAll(async () => {
    await kiosk?.stop();
    dir.remove();
  });

  it("serves the dashboard on its own port, shows the kiosk and sends it a signed command", async () => {
    const keyFile = join(dir.path, "central", "command-key.pem");
    const publicKey = generateCommandKey(keyFile, { force: false });
    kiosk = await startKiosk({
      config: testConfig({
        deviceId: "kiosk-laptop",
        dataDir: join(dir.path, "kiosk"),
        sync: { broker: { mode: "embedded", host: "127.0.0.1", port: 0 } },
        central: {
          enabled: true,
          database: {
            mode: "embedded",
            dataDir: join(dir.path, "central"),
            seedCatalogFile: "config/demo-invoices.csv",
          },
          dashboard: { enabled: true, port: 0, commandKeyFile: keyFile },
        },
        // The kiosk trusts central's key: commands and the catalog pages it pulls are signed with it.
        extra: { remote: { commandPublicKey: publicKey } },
      }),
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    const { central, sync } = kiosk;
    if (!central?.dashboard || !sync) throw new Error("central, its dashboard or the agent did not start");
    expect(central.db.kind).toBe("pglite");
    expect(central.dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const received: Command[] = [];
    sync.on("command", (command) => received.push(command));
    await addUser(central.db, OPERATOR.name, OPERATOR.password, new Date().toISOString(), { replace: false });

    const client = new DashboardClient(central.dashboard.url);
    expect((await client.signIn()).status).toBe(303);
    await until(
      async () => (await client.get("/")).text.includes('data-kiosk="kiosk-laptop" data-state="online"'),
      "the kiosk online",
    );
    await until(() => central.dashboard?.downlink.connected === true, "the dashboard on the broker");
    const sent = await client.post("/kiosks/kiosk-laptop/commands", {
      csrf: await client.csrf(),
      name: "lock",
      confirm: "yes",
    });
    expect(sent.status).toBe(303);
    await until(() => received.length === 1, "the lock at the kiosk");
    expect(received[0]?.name).toBe("lock");
    expect(hasValidSignature(received[0] as Command, commandPublicKey(publicKey))).toBe(true);
  });

  it("seeds the demo invoices into the empty catalog once, and the kiosk pulls them", async () => {
    const store = kiosk?.state.kind === "in-service" ? kiosk.state.store : null;
    if (!store || !kiosk?.central) throw new Error("the kiosk is not in service");
    await until(() => store.invoices.find("1001", "Núñez") !== null, "the demo invoice 1001 on the kiosk");
    expect(store.invoices.find("1001", "Núñez")).toMatchObject({
      totalMinor: 28_500,
      currency: "USD",
      lines: [{ description: "Portrait session" }, { description: "8x10 prints (3)", quantity: 3 }],
    });
    expect(store.invoices.findByNumber("1005")).not.toBeNull();
    // A catalog that has changed is never seeded again (a restart keeps what central holds).
    const { catalogCursor } = await import("../../src/central/catalog-store.js");
    const { seedCatalog } = await import("../../src/central/seed-catalog.js");
    const before = await catalogCursor(kiosk.central.db);
    expect(before).toBeGreaterThan(0);
    await seedCatalog(kiosk.central.db, "config/demo-invoices.csv", systemClock, createMemoryLogger());
    expect(await catalogCursor(kiosk.central.db)).toBe(before);
  });
});
