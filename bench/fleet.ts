/**
 * fleet: 500 simulated kiosks connect at once, each sending a record a second (one-record batches,
 * as a kiosk taking a payment does) plus telemetry every 10 s, over the real protocol to a private
 * Mosquitto; one ingest worker (`spectra-kiosk central`, its own process) writes them to PostgreSQL.
 * Ingest lag is measured as each kiosk sees it: from publishing a batch to central's ack, which is
 * sent after the commit. Beside it, the broker's own round trip (publish → PUBACK) in the same run.
 */
import { connectAsync, type MqttClient } from "mqtt";
import { newId } from "../src/core/ids.js";
import { decodeMessage, encodeMessage, encodeRecordBatch } from "../src/sync/protocol/codec.js";
import { deviceTopic } from "../src/sync/protocol/topics.js";
import { sampleInvoice, sampleRecord } from "../test/helpers/sync-fixtures.js";
import { cpuPercent, type ProcSample, sampleProcess } from "./lib/proc-stats.js";
import type { Bench } from "./lib/result.js";
import { startBenchServices } from "./lib/services.js";
import { nowMs, round, summarize } from "./lib/stats.js";

const TARGET_MS = 1000;
const TELEMETRY_EVERY_S = 10;

interface SimulatedKiosk {
  readonly deviceId: string;
  readonly client: MqttClient;
  readonly timers: NodeJS.Timeout[];
}

const bench: Bench = async (args) => {
  const kiosks = Number(args[0] ?? 500);
  const seconds = Number(args[1] ?? 30);
  const warmupSeconds = 5;
  const services = await startBenchServices();
  const fleet: SimulatedKiosk[] = [];
  try {
    const central = await services.startCentral();
    const pid = central.child.pid ?? 0;
    const invoice = sampleInvoice();
    /** Batches sent in the measured window: id → when. Their acks count whenever they come. */
    const sentAt = new Map<string, number>();
    const ackLatencies: number[] = [];
    const pubackLatencies: number[] = [];
    let measuring = false;
    let acked = 0;
    let sent = 0;

    const connectStart = nowMs();
    await Promise.all(
      Array.from({ length: kiosks }, async (_, index) => {
        const deviceId = `fleet-${String(index).padStart(4, "0")}`;
        const meta = () => ({ messageId: newId(), sentAt: new Date().toISOString() });
        const connectionId = newId();
        const will = encodeMessage(
          "state",
          deviceId,
          { state: "offline", connectionId, reason: "connection-lost" },
          meta(),
        );
        const client = await connectAsync(services.broker.url, {
          protocolVersion: 5,
          clientId: `kiosk-${deviceId}`,
          reconnectPeriod: 0,
          keepalive: 30,
          will: { topic: will.topic, payload: Buffer.from(will.body), qos: 1, retain: true },
        });
        client.on("message", (topic, payload) => {
          const decoded = decodeMessage(topic, payload, { direction: "down", maxBytes: 1 << 20 });
          if (!decoded.ok || decoded.value.kind !== "recordAck") return;
          const started = sentAt.get(decoded.value.payload.batchId);
          if (started === undefined) return;
          sentAt.delete(decoded.value.payload.batchId);
          ackLatencies.push(nowMs() - started);
          acked += 1;
        });
        await client.subscribeAsync(deviceTopic(deviceId, "down", "acks"), { qos: 1 });
        const online = encodeMessage(
          "state",
          deviceId,
          { state: "online", connectionId, reason: "connected" },
          meta(),
        );
        await client.publishAsync(online.topic, online.body, { qos: 1, retain: true });
        const kiosk: SimulatedKiosk = { deviceId, client, timers: [] };
        const sendRecord = (): void => {
          const messageId = newId();
          const batch = encodeRecordBatch(
            deviceId,
            [JSON.stringify(sampleRecord(invoice, deviceId, 100 + (index % 900)))],
            {
              messageId,
              sentAt: new Date().toISOString(),
            },
          );
          const started = nowMs();
          const counted = measuring;
          if (counted) {
            sentAt.set(messageId, started);
            sent += 1;
          }
          client.publish(batch.topic, batch.body, { qos: 1 }, () => {
            if (counted) pubackLatencies.push(nowMs() - started);
          });
        };
        const sendTelemetry = (): void => {
          const telemetry = encodeMessage(
            "telemetry",
            deviceId,
            {
              softwareVersion: "bench",
              uptimeSeconds: Math.round(process.uptime()),
              outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
              drivers: { cardReader: { status: "connected", detail: null } },
              disk: { freeBytes: 1_000_000_000 },
              lastSyncAt: new Date().toISOString(),
            },
            meta(),
          );
          client.publish(telemetry.topic, telemetry.body, { qos: 0 });
        };
        // Spread the fleet over the second, as real kiosks are.
        const offset = Math.round((1000 * index) / kiosks);
        kiosk.timers.push(
          setTimeout(() => {
            kiosk.timers.push(setInterval(sendRecord, 1000));
            kiosk.timers.push(setInterval(sendTelemetry, TELEMETRY_EVERY_S * 1000));
            sendTelemetry();
          }, offset),
        );
        fleet.push(kiosk);
      }),
    );
    const connectSeconds = (nowMs() - connectStart) / 1000;

    await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
    measuring = true;
    const cpuStart: ProcSample = sampleProcess(pid);
    let peakRss = cpuStart.rssBytes;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, sampleProcess(pid).rssBytes);
    }, 500);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    measuring = false;
    const cpuEnd = sampleProcess(pid);
    clearInterval(sampler);
    // Let the last acks of the window arrive.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const lag = summarize(ackLatencies);
    const broker = summarize(pubackLatencies);
    const [devices] = (
      await services.database.pool.query(
        "SELECT count(*) FILTER (WHERE state = 'online') AS online, count(telemetry) AS telemetry FROM devices",
      )
    ).rows as { online: string; telemetry: string }[];
    const cpu = cpuPercent(cpuStart, cpuEnd);
    process.stdout.write(
      [
        "",
        `fleet: ${kiosks} kiosks connected at once in ${connectSeconds.toFixed(1)} s; ${seconds} s measured after ${warmupSeconds} s warm-up`,
        `records in the window: ${sent} sent, ${acked} acknowledged (${(acked / seconds).toFixed(0)}/s); central sees ${devices?.online} online, ${devices?.telemetry} with telemetry`,
        "| latency (ms)                                  |    p50 |    p99 |    max |",
        "| --------------------------------------------- | ------ | ------ | ------ |",
        `| ingest lag: publish → committed → ack at kiosk | ${lag.p50.toFixed(1).padStart(6)} | ${lag.p99.toFixed(1).padStart(6)} | ${lag.max.toFixed(1).padStart(6)} |`,
        `| baseline: publish → PUBACK from the broker     | ${broker.p50.toFixed(1).padStart(6)} | ${broker.p99.toFixed(1).padStart(6)} | ${broker.max.toFixed(1).padStart(6)} |`,
        "",
        `ingest worker process: ${cpu.toFixed(1)}% CPU (of one core), RSS ${(cpuEnd.rssBytes / 1024 / 1024).toFixed(0)} MiB (peak ${(peakRss / 1024 / 1024).toFixed(0)} MiB)`,
        "",
      ].join("\n"),
    );
    const complete = acked === sent && Number(devices?.online) === kiosks;
    return {
      bench: "fleet",
      metric: "ingest_lag_p99_ms",
      value: round(lag.p99, 1),
      unit: "ms",
      target: `< ${TARGET_MS} (p99, ${kiosks} kiosks)`,
      pass: complete && lag.p99 < TARGET_MS,
    };
  } finally {
    for (const kiosk of fleet) for (const timer of kiosk.timers) clearTimeout(timer);
    await Promise.all(fleet.map((kiosk) => kiosk.client.endAsync(true).catch(() => {})));
    await services.dispose();
  }
};

export default bench;
