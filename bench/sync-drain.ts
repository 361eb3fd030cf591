/**
 * sync-drain: 100,000 records queued while the kiosk was offline, then it connects. Measures
 * records per second until central has committed them all AND the kiosk has every ack (outbox
 * empty), beside the raw rate of mqtt.js publishing the same batch messages at QoS 1 to the same
 * broker with no database, in the same run. Central's ingest runs as its own process (dist/); the
 * agent runs here with the default sync configuration.
 *
 * npm run bench -- sync-drain [records=100000] [batchSize=default] [ingest workers=1]
 * BENCH_DEBUG=1 adds progress every second and a CPU breakdown (worker, PostgreSQL, broker).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connectAsync } from "mqtt";
import { catalogPageCheckFor } from "../src/app/catalog-page-check.js";
import { DEFAULT_CONFIG_PATH, parseConfig } from "../src/config/load.js";
import { systemClock } from "../src/core/clock.js";
import { newId } from "../src/core/ids.js";
import { createMemoryLogger } from "../src/core/logger.js";
import { SyncAgent } from "../src/sync/agent/sync-agent.js";
import { kioskEndpoint } from "../src/sync/mqtt/endpoint.js";
import { encodeRecordBatch } from "../src/sync/protocol/codec.js";
import { externalBroker } from "../test/helpers/kiosk-config.js";
import { openTestStore, seedRecords } from "../test/helpers/kiosk-store.js";
import { sampleInvoice } from "../test/helpers/sync-fixtures.js";
import { cpuPercent, sampleProcess } from "./lib/proc-stats.js";
import type { Bench } from "./lib/result.js";
import { startBenchServices } from "./lib/services.js";
import { nowMs, round } from "./lib/stats.js";

const DEVICE = "kiosk-bench-drain";
const TARGET = 10_000;

const bench: Bench = async (args) => {
  const total = Number(args[0] ?? 100_000);
  const services = await startBenchServices();
  try {
    const config = parseConfig(
      {
        ...JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")),
        deviceId: DEVICE,
        dataDir: join(services.dir, "kiosk"),
        // The default sync settings, on this run's broker; a batch size may be given to compare.
        sync: {
          broker: externalBroker(services.broker.url),
          ...(args[1] ? { batchSize: Number(args[1]) } : {}),
        },
        central: { enabled: false },
      },
      "the benchmark's configuration",
    );
    const batchSize = config.sync.batchSize;
    const store = openTestStore(join(services.dir, "kiosk"), DEVICE);
    process.stdout.write(`queueing ${total} records offline (one transaction)...\n`);
    seedRecords(store, sampleInvoice(), DEVICE, total, (i) => 100 + (i % 9901), total);
    const expectedSum = (
      store.db.prepare("SELECT sum(amount_minor) AS s FROM payment_records").get() as { s: number }
    ).s;

    // Baseline: the same batch messages, published at QoS 1 by plain mqtt.js, nobody consuming.
    const batches: string[] = [];
    for (let after = 0; ; ) {
      const entries = store.outbox.pending(batchSize, after);
      if (entries.length === 0) break;
      batches.push(
        encodeRecordBatch(
          DEVICE,
          entries.map((e) => e.payload),
          { messageId: newId(), sentAt: new Date().toISOString() },
        ).body,
      );
      after = entries[entries.length - 1]?.seq ?? after;
    }
    const raw = await connectAsync(services.broker.url, { protocolVersion: 5, clientId: "bench-raw" });
    const rawStart = nowMs();
    await Promise.all(batches.map((body) => raw.publishAsync("bench/raw/records", body, { qos: 1 })));
    const rawSeconds = (nowMs() - rawStart) / 1000;
    await raw.endAsync();

    // Central with its default ingest settings (one worker unless a count is given).
    const central = await services.startCentral({ workers: Number(args[2] ?? 1) });
    const pid = central.child.pid ?? 0;
    const agent = new SyncAgent({
      store,
      deviceId: DEVICE,
      config: config.sync,
      endpoint: kioskEndpoint(config.sync.broker),
      logger: createMemoryLogger(),
      clock: systemClock,
      softwareVersion: "bench",
      dataDir: services.dir,
      checkCatalogPage: catalogPageCheckFor(config, systemClock, createMemoryLogger()),
    });
    const cpuBefore = sampleProcess(pid);
    const start = nowMs();
    agent.start();
    let peakRss = cpuBefore.rssBytes;
    let lastLog = nowMs();
    const selfBefore = sampleProcess(process.pid);
    // Watch the agent's own count (cheap); the outbox itself is checked once at the end.
    while (agent.stats.recordsAcked < total || store.outbox.depth().depth > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      peakRss = Math.max(peakRss, sampleProcess(pid).rssBytes);
      if (process.env.BENCH_DEBUG && nowMs() - lastLog > 1000) {
        lastLog = nowMs();
        process.stdout.write(
          `t=${((lastLog - start) / 1000).toFixed(1)} central=${await services.count()} unsynced=${store.outbox.depth().depth} worker=${cpuPercent(cpuBefore, sampleProcess(pid)).toFixed(0)}% self=${cpuPercent(selfBefore, sampleProcess(process.pid)).toFixed(0)}%\n`,
        );
      }
    }
    const seconds = (nowMs() - start) / 1000;
    const cpuAfter = sampleProcess(pid);
    if (process.env.BENCH_DEBUG) {
      const backends = (
        await services.database.pool.query(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
      ).rows as { pid: number }[];
      const pgCpu = backends.reduce((sum, row) => sum + sampleProcess(row.pid).cpuSeconds, 0);
      const self = process.cpuUsage();
      process.stdout.write(
        `cpu seconds: worker ${(cpuAfter.cpuSeconds - cpuBefore.cpuSeconds).toFixed(1)}, postgres backends ${pgCpu.toFixed(1)} (whole life), bench process ${((self.user + self.system) / 1e6).toFixed(1)} (whole life), mosquitto ${services.broker.pid ? sampleProcess(services.broker.pid).cpuSeconds.toFixed(1) : "?"} (whole life)\n`,
      );
    }
    const [row] = (
      await services.database.pool.query("SELECT count(*) AS n, sum(amount_minor) AS s FROM payment_records")
    ).rows as { n: string; s: string }[];
    await agent.stop();
    store.close();

    const rate = total / seconds;
    const rawRate = total / rawSeconds;
    const complete = Number(row?.n) === total && Number(row?.s) === expectedSum;
    process.stdout.write(
      [
        "",
        `sync-drain: ${total} records, batches of ${batchSize} (${batches.length} messages), Mosquitto + PostgreSQL`,
        "| path                                             | seconds | records/s |",
        "| ------------------------------------------------ | ------- | --------- |",
        `| kiosk outbox → ingest → PostgreSQL → ack → synced | ${seconds.toFixed(2).padStart(7)} | ${Math.round(rate).toString().padStart(9)} |`,
        `| baseline: mqtt.js QoS 1 publish, no database      | ${rawSeconds.toFixed(2).padStart(7)} | ${Math.round(rawRate).toString().padStart(9)} |`,
        "",
        `end to end / raw publish: ${(100 * (rate / rawRate)).toFixed(1)}%`,
        `central has ${row?.n} records, sum ${row?.s} (kiosk sum ${expectedSum}): ${complete ? "complete" : "MISMATCH"}`,
        `ingest worker: ${cpuPercent(cpuBefore, cpuAfter).toFixed(0)}% CPU (of one core) while draining, peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`,
        "",
      ].join("\n"),
    );
    return {
      bench: "sync-drain",
      metric: "end_to_end_records_per_second",
      value: round(rate, 0),
      unit: "records/s",
      target: `>= ${TARGET}`,
      pass: complete && rate >= TARGET,
    };
  } finally {
    await services.dispose();
  }
};

export default bench;
