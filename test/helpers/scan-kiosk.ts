import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningKiosk, startKiosk } from "../../src/app/kiosk.js";
import { secretsDir } from "../../src/app/kiosk-secrets.js";
import type { CardService } from "../../src/checkout/cards/card-service.js";
import type { Clock } from "../../src/core/clock.js";
import { createLogger } from "../../src/core/logger.js";
import type { CardRead } from "../../src/drivers/card-reader/card-read.js";
import type { LineReader } from "../../src/drivers/card-reader/line-reader.js";
import { SocatPair } from "../../src/drivers/serial/socat-pair.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { KIOSK_GRANT } from "../fixtures/stripe-test-cards.js";
import { externalBroker, postgresCentral, testConfig, writeTestConfig } from "./kiosk-config.js";
import { scratchDir } from "./kiosk-store.js";
import { startMosquitto } from "./mosquitto.js";
import { createTestDatabase, type TestDatabase } from "./postgres.js";
import type { StoreWithLedger } from "./store.js";
import { type CaptureProxy, startCaptureProxy } from "./tcp-capture.js";
import { until } from "./wait.js";

/** The system clock moved forward by `advance` (so future payments can fall due). */
export interface TravelClock extends Clock {
  advance(ms: number): void;
}

export function travelClock(): TravelClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}

export const OFFLINE_POLICY = {
  enabled: true,
  perPaymentCapMinor: 10_000,
  totalCapMinor: 30_000,
  maxAgeHours: 72,
};

/**
 * A kiosk wired as in a studio, with every wire one the test can read: the card reader on a real
 * socat pty, the sync broker (a private Mosquitto) and the card processor (the Authorize.Net simulator)
 * each behind a capture proxy, central on its own PostgreSQL database (also through the capture),
 * a debug-level log file, and the data directory in a scratch folder.
 */
export interface ScanKiosk {
  readonly dataDir: string;
  readonly logFile: string;
  /** The kiosk's configuration as a file, for running it as `spectra-kiosk start --config FILE`. */
  readonly configFile: string;
  readonly kiosk: RunningKiosk;
  readonly store: StoreWithLedger;
  readonly cards: CardService;
  readonly clock: TravelClock;
  /** The Authorize.Net simulator, when the kiosk charges through Authorize.Net (else null: Stripe). */
  readonly authorizeNet: RunningAuthorizeNetSimulator | null;
  /** Every API request the Authorize.Net simulator received, as it read them inside TLS. */
  readonly authorizeNetRequests: readonly string[];
  /** With `{ processor: "stripe" }`: the Stripe simulator the kiosk takes cards through (its restricted key). */
  readonly stripe: RunningStripeSimulator | null;
  /** Everything between the kiosk and Stripe (empty without Stripe). */
  readonly stripeCapture: CaptureProxy;
  /** Everything between the kiosk (and central) and the broker. */
  readonly mqttCapture: CaptureProxy;
  /** Everything between the kiosk and Authorize.Net (TLS records); `setCut` takes the processor away. */
  readonly processorCapture: CaptureProxy;
  readonly database: TestDatabase;
  /** What the private Mosquitto logged (errors and warnings). */
  brokerLog(): string;
  /** Sends a line from the reader's end of the pty and resolves with what the kiosk's driver read. */
  swipe(line: string): Promise<CardRead>;
  /** Sends a line from the reader's end of the pty, to whichever process has the kiosk's end open. */
  sendLine(line: string): Promise<void>;
  /** Removes everything: processes, databases, every scratch file. Safe to call more than once. */
  dispose(): Promise<void>;
}

/**
 * Which processor the kiosk charges through: "authorize-net" (the default), the Authorize.Net
 * processor against its simulator over TLS (behind the capture, which then sees only TLS records);
 * "stripe", Stripe (smart reader, hosted page) with central making the refunds.
 */
export async function startScanKiosk(
  deviceId: string,
  options: {
    processor?: "authorize-net" | "stripe";
    /** Authorize.Net: refunds above this go to central, which holds its own transaction key. */
    refundLimitMinor?: number;
  } = {},
): Promise<ScanKiosk> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const dispose = async (): Promise<void> => {
    // Last started, first stopped; every step runs even when one fails.
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Keep going: what is left over is removed with the scratch folder.
      }
    }
  };
  try {
    const scratch = scratchDir("spectra-scan-");
    cleanups.push(() => scratch.remove());
    const dataDir = join(scratch.path, "data");
    const logFile = join(scratch.path, "logs", "kiosk.log");
    const ptyDir = join(scratch.path, "pty");
    mkdirSync(join(scratch.path, "logs"));
    mkdirSync(ptyDir);

    const broker = await startMosquitto();
    cleanups.push(() => broker.dispose());
    const mqttCapture = await startCaptureProxy({ host: "127.0.0.1", port: broker.port });
    cleanups.push(() => mqttCapture.close());
    const authorizeNetRequests: string[] = [];
    const authorizeNet =
      options.processor !== "stripe"
        ? await startAuthorizeNetSimulator({
            hangMs: 1_500,
            slowMs: 100,
            onRequest: (body) => authorizeNetRequests.push(body),
          })
        : null;
    if (authorizeNet) cleanups.push(() => authorizeNet.close());
    const processorCapture = await startCaptureProxy({
      host: "127.0.0.1",
      port: authorizeNet ? Number(new URL(authorizeNet.endpoint).port) : 9,
    });
    cleanups.push(() => processorCapture.close());
    const stripe = options.processor === "stripe" ? await startStripeSimulator() : null;
    if (stripe) cleanups.push(() => stripe.close());
    const stripeCapture = await startCaptureProxy({ host: "127.0.0.1", port: stripe?.port ?? 9 });
    cleanups.push(() => stripeCapture.close());
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const reader = await SocatPair.start(ptyDir, "reader");
    cleanups.push(() => reader.kill());

    const brokerUrl = mqttCapture.url("mqtt");
    const authorizeNetProcessor = authorizeNet
      ? {
          kind: "authorize-net",
          environment: "sandbox",
          endpoint: `${processorCapture.url("https")}/xml/v1/request.api`,
          hostedFormUrl: authorizeNet.hostedFormUrl,
          caFile: join(scratch.path, "authorize-net-simulator.pem"),
          apiLoginId: authorizeNet.apiLoginId,
          timeoutMs: 1_000,
          ...(options.refundLimitMinor === undefined ? {} : { refundLimitMinor: options.refundLimitMinor }),
          offline: OFFLINE_POLICY,
          collection: { maxAttempts: 2, retryIntervalHours: 24 },
        }
      : null;
    const processor = stripe
      ? {
          kind: "stripe",
          apiKeyFile: stripeKeyFile(scratch.path, stripe.restrictedKey(KIOSK_GRANT)),
          readerId: stripe.readers[0],
          endpoint: {
            host: "127.0.0.1",
            port: Number(new URL(stripeCapture.url("http")).port),
            protocol: "http",
          },
          pollMs: 50,
          collectTimeoutMs: 10_000,
          timeoutMs: 2_000,
          collection: { maxAttempts: 2, retryIntervalHours: 24 },
        }
      : authorizeNetProcessor;
    const kioskOptions = {
      deviceId,
      dataDir,
      sync: { broker: externalBroker(brokerUrl) },
      central: {
        ...postgresCentral(database.url, brokerUrl),
        // With Stripe, central makes the refunds the kiosk's restricted key may not (the full key).
        ...(stripe
          ? {
              stripe: {
                webhook: { port: 0 },
                webhookSecretFile: ownerOnlyFile(
                  scratch.path,
                  "webhook.secret",
                  "whsec_scan_kiosk_0123456789",
                ),
                apiKeyFile: ownerOnlyFile(scratch.path, "central-stripe.key", stripe.secretKey),
                endpoint: { host: stripe.host, port: stripe.port, protocol: "http" },
              },
            }
          : {}),
        // With Authorize.Net, central makes the refunds above the kiosk's limit with the key it holds,
        // straight to the simulator (not through the kiosk's capture, which a test can cut).
        ...(authorizeNet
          ? {
              authorizeNet: {
                environment: "sandbox",
                endpoint: authorizeNet.endpoint,
                caFile: join(scratch.path, "authorize-net-simulator.pem"),
                apiLoginId: authorizeNet.apiLoginId,
                transactionKeyFile: ownerOnlyFile(
                  scratch.path,
                  "central-authorize-net.key",
                  authorizeNet.transactionKey,
                ),
              },
            }
          : {}),
      },
      extra: {
        log: { level: "debug", file: logFile },
        processor,
        drivers: {
          cardReader: { mode: "serial", path: reader.kioskPath, lineEnding: "\r" },
          scanner: { mode: "none" },
          gpio: { mode: "simulated", cashDrawer: { pin: 17 } },
          printer: { mode: "none" },
          cashDrawerVia: "gpio",
        },
      },
    };
    if (authorizeNet) {
      writeFileSync(join(scratch.path, "authorize-net-simulator.pem"), authorizeNet.ca ?? "");
      mkdirSync(secretsDir(dataDir), { recursive: true, mode: 0o700 });
      const keyFile = join(secretsDir(dataDir), "authorize-net-transaction-key");
      writeFileSync(keyFile, authorizeNet.transactionKey, { mode: 0o600 });
      chmodSync(keyFile, 0o600);
    }
    // In this process the test drives card processing itself, as the screen would: without the
    // touchscreen, which takes every swipe for itself. The child kiosk below runs with it.
    const config = testConfig({ ...kioskOptions, extra: { ...kioskOptions.extra, ui: { enabled: false } } });
    // The same configuration for `spectra-kiosk start --config FILE` (kept outside the data directory).
    const configFile = writeTestConfig(scratch.path, "kiosk", kioskOptions);
    // As `spectra-kiosk start` makes it: pino with card-field redaction, appending to log.file.
    const logger = createLogger({ level: "debug", destination: logFile });
    const clock = travelClock();
    const kiosk = await startKiosk({ config, logger, clock });
    cleanups.push(() => kiosk.stop());
    if (kiosk.state.kind !== "in-service")
      throw new Error(`kiosk out of service: ${kiosk.state.reason.code}`);
    const cardReader = kiosk.drivers.cardReader;
    if (!cardReader) throw new Error("the kiosk has no card reader");
    await until(() => cardReader.health.state === "connected", "the card reader on the pty", 10_000);

    return {
      dataDir,
      logFile,
      configFile,
      kiosk,
      store: { ...kiosk.state.store, ledger: kiosk.state.ledger },
      cards: kiosk.state.cards,
      clock,
      authorizeNet,
      authorizeNetRequests,
      stripe,
      stripeCapture,
      mqttCapture,
      processorCapture,
      database,
      brokerLog: () => broker.log(),
      swipe: (line) => swipeThrough(cardReader, (bytes) => reader.send(bytes), line),
      sendLine: (line) => reader.send(`${line}\r`),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The kiosk's Stripe key in a file only its owner can read, as the kiosk requires. */
function stripeKeyFile(dir: string, key: string): string {
  return ownerOnlyFile(dir, "stripe.key", key);
}

/** A secret in a file only its owner can read (mode 0600), as the kiosk and central require. */
function ownerOnlyFile(dir: string, name: string, secret: string): string {
  const path = `${dir}/${name}`;
  writeFileSync(path, secret);
  chmodSync(path, 0o600);
  return path;
}

function swipeThrough(
  cardReader: LineReader,
  send: (bytes: string) => Promise<void>,
  line: string,
): Promise<CardRead> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      cardReader.off("cardRead", onRead);
      cardReader.off("cardRejected", onRejected);
    };
    const onRead = (card: CardRead): void => {
      done();
      resolve(card);
    };
    const onRejected = (error: Error): void => {
      done();
      reject(error);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error("the kiosk read no swipe within 5 s"));
    }, 5_000);
    cardReader.on("cardRead", onRead);
    cardReader.on("cardRejected", onRejected);
    send(`${line}\r`).catch((error: unknown) => {
      done();
      reject(error as Error);
    });
  });
}
