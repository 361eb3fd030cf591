import { join } from "node:path";

import { type CliProcess, spawnCli } from "../../test/helpers/cli-process.js";
import { postgresCentral, writeTestConfig } from "../../test/helpers/kiosk-config.js";
import { scratchDir } from "../../test/helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../../test/helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/postgres.js";

/** A private Mosquitto, an own PostgreSQL database and a scratch directory, for one benchmark run. */
export interface BenchServices {
  readonly broker: PrivateMosquitto;
  readonly database: TestDatabase;
  readonly dir: string;
  /** `spectra-kiosk central` as a child process (compiled dist/), ready when its worker subscribed. */
  startCentral(ingest?: Record<string, unknown>): Promise<CliProcess>;
  count(): Promise<number>;
  dispose(): Promise<void>;
}

export async function startBenchServices(): Promise<BenchServices> {
  const broker = await startMosquitto({ settings: () => ["max_connections -1", "max_packet_size 16777216"] });
  const database = await createTestDatabase();
  const scratch = scratchDir("spectra-bench-");
  const children: CliProcess[] = [];
  return {
    broker,
    database,
    dir: scratch.path,
    startCentral: async (ingest = {}) => {
      const config = writeTestConfig(scratch.path, `central-${children.length}`, {
        deviceId: "bench-central",
        dataDir: join(scratch.path, "unused"),
        central: postgresCentral(database.url, broker.url, ingest),
        logLevel: "info",
      });
      const child = spawnCli(["central", "--config", config]);
      children.push(child);
      const deadline = Date.now() + 60_000;
      while (!child.output().includes("ingest subscribed")) {
        if (child.child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`central did not start:\n${child.output()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return child;
    },
    count: async () =>
      Number((await database.pool.query("SELECT count(*) AS n FROM payment_records")).rows[0]?.n),
    dispose: async () => {
      for (const child of children) await child.kill();
      await broker.dispose();
      await database.drop();
      scratch.remove();
    },
  };
}
