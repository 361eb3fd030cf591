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
          database: { mode: "embedded", dataDir: join(dir.path, "central") },
          dashboard: { enabled: true, port: 0, commandKeyFile: keyFile },
        },
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
});
