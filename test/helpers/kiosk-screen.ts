import { createHash, X509Certificate } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { secretsDir } from "../../src/app/kiosk-secrets.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { TestCard } from "../../src/drivers/card-reader/fixtures/test-cards.js";
import { fullSwipe } from "../../src/drivers/card-reader/swipe-builder.js";
import type { CodePage } from "../../src/drivers/printer/code-page.js";
import { PrinterEmulator } from "../../src/drivers/printer/printer-emulator.js";
import { SocatPair } from "../../src/drivers/serial/socat-pair.js";
import type { Invoice } from "../../src/payments/invoice.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { databasePath, openKioskStore } from "../../src/store/kiosk-store.js";
import type { ScreenName } from "../../src/ui/protocol.js";
import { type CliProcess, spawnCli } from "./cli-process.js";
import { launchChromium, screenshot } from "./dashboard-browser.js";
import { testConfig, writeTestConfig } from "./kiosk-config.js";
import { until } from "./wait.js";

type Raw = Record<string, unknown>;

export interface KioskScreenOptions {
  readonly deviceId?: string;
  /** Invoices on the kiosk before it starts (as central would have pushed them). */
  readonly invoices?: readonly Invoice[];
  /** The raw sync section; sync is off unless given. */
  readonly sync?: Raw;
  /** The raw central section; central is off unless given. */
  readonly central?: Raw;
  readonly idleTimeoutSeconds?: number;
  readonly viewport?: { width: number; height: number };
  /** Any other top-level sections, as written (merged over the rig's). */
  readonly extra?: Raw;
  /** Environment for the kiosk process (as the systemd unit sets it). */
  readonly env?: Record<string, string>;
  /** Flags for node before the script (as the systemd unit's ExecStart has them). */
  readonly nodeArgs?: readonly string[];
  /** "both": the card reader also reads invoice QR codes and barcodes (a combined unit). */
  readonly readerRole?: "cards" | "both";
  /** Runs on the data directory before the kiosk starts (e.g. to damage its database). */
  readonly prepareData?: (dataDir: string, databaseFile: string) => void;
  /**
   * A receipt printer on a real pty (socat), played by the printer emulator at the device end: the
   * test reads what was printed. Otherwise the kiosk's own simulated printer (bytes stay inside it).
   */
  readonly printerOnPty?: { readonly codePage: CodePage };
  /** The browser machine's time zone, when it should differ from the studio's (studio.timeZone). */
  readonly browserTimeZone?: string;
  /** The screen to wait for once the browser is open (default: the attract screen). */
  readonly firstScreen?: ScreenName;
  /** Opens the browser instead of the tests' headless Chromium (the bench's Pi-class Chromium). */
  readonly launchBrowser?: (
    dir: string,
    viewport: { width: number; height: number },
  ) => Promise<{ context: BrowserContext; page: Page; close?: () => Promise<void> }>;
}

export interface KioskScreen {
  readonly dir: string;
  readonly url: string;
  readonly kiosk: CliProcess;
  readonly reader: SocatPair;
  /** The printer at the far end of the pty, with everything printed (printerOnPty only). */
  readonly printer: PrinterEmulator | null;
  /**
   * The processor the kiosk charges cards through: Authorize.Net's simulator over TLS (kind
   * "authorize-net", its transaction key in the kiosk's secret store, the simulator's certificate
   * trusted through NODE_EXTRA_CA_CERTS, and by the browser for the hosted form).
   */
  readonly processor: RunningAuthorizeNetSimulator;
  readonly page: Page;
  readonly context: BrowserContext;
  readonly databaseFile: string;
  /** The configuration file the kiosk runs with (for other commands: central import, ...). */
  readonly configFile: string;
  /** Writes a card's tracks to the reader's device end of the pty, as a swipe would. */
  swipe(card: TestCard): Promise<void>;
  /** Writes a scanned code (an invoice number or link) to the reader's pty (readerRole "both"). */
  scan(code: string): Promise<void>;
  /** Touches the element with this data-testid. */
  tap(testId: string): Promise<void>;
  /** Types on the on-screen keyboard, key by key. */
  typeKeys(text: string): Promise<void>;
  /** Waits until the browser shows this screen (and, optionally, `ready` holds on it). */
  waitForScreen(name: ScreenName, timeoutMs?: number): Promise<void>;
  screenName(): Promise<string | undefined>;
  /** docs/screenshots/NAME.png when SPECTRA_SCREENSHOTS names that folder, else the scratch folder. */
  shoot(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The base64 SHA-256 of a certificate's public key, as Chromium's SPKI allow-list takes it. */
const spkiHash = (pem: string): string =>
  createHash("sha256")
    .update(new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");

/** Finds the URL the kiosk logged ("touchscreen at http://…"). */
export function loggedUrl(output: string): string | null {
  const match = /touchscreen at (http:\/\/[^\s"]+)/.exec(output);
  return match?.[1] ?? null;
}

/**
 * The touchscreen as a user meets it: the kiosk started by `spectra-kiosk start --config FILE` in its
 * own process, its card reader on a real socat pty pair, Authorize.Net's simulator as the processor, and
 * Debian's chromium (playwright-core) on the kiosk's URL at 800×480.
 */
export async function startKioskScreen(options: KioskScreenOptions = {}): Promise<KioskScreen> {
  const dir = mkdtempSync(join(tmpdir(), "spectra-screen-"));
  const reader = await SocatPair.start(dir, "reader");
  const printerPair = options.printerOnPty ? await SocatPair.start(dir, "printer") : null;
  let printer: PrinterEmulator | null = null;
  if (printerPair) {
    const port = await printerPair.device();
    const emulator = new PrinterEmulator((bytes) => port.write(bytes));
    port.on("data", (chunk: Buffer) => emulator.receive(chunk));
    printer = emulator;
  }
  // The simulated merchant account settles in the studio's currency, as a real one is set up to.
  const currency = (options.extra?.studio as { currency?: string } | undefined)?.currency ?? "USD";
  const processor = await startAuthorizeNetSimulator({ currency });
  const dataDir = join(dir, "data");
  mkdirSync(secretsDir(dataDir), { recursive: true, mode: 0o700 });
  const keyFile = join(secretsDir(dataDir), "authorize-net-transaction-key");
  writeFileSync(keyFile, processor.transactionKey, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  const caFile = join(dir, "authorize-net-simulator.pem");
  writeFileSync(caFile, processor.ca ?? "");
  const processorEnv: Record<string, string> = { NODE_EXTRA_CA_CERTS: caFile };
  const configOptions = {
    deviceId: options.deviceId ?? "kiosk-screen-01",
    dataDir,
    sync: options.sync ?? { enabled: false },
    logLevel: "info",
    extra: {
      drivers: {
        cardReader: {
          mode: "serial",
          path: reader.kioskPath,
          role: options.readerRole ?? "cards",
          reconnect: { initialMs: 50, maxMs: 500 },
        },
        scanner: { mode: "none" },
        gpio: {
          mode: "simulated",
          cashDrawer: { pin: 17 },
          statusLight: { pin: 27 },
          tamperSwitch: { pin: 22 },
        },
        printer:
          printerPair && options.printerOnPty
            ? {
                mode: "serial",
                path: printerPair.kioskPath,
                baudRate: 9600,
                codePage: options.printerOnPty.codePage,
                reconnect: { initialMs: 50, maxMs: 500 },
              }
            : { mode: "simulated" },
        cashDrawerVia: "gpio",
      },
      processor: {
        kind: "authorize-net",
        environment: "sandbox",
        endpoint: processor.endpoint,
        hostedFormUrl: processor.hostedFormUrl,
        apiLoginId: processor.apiLoginId,
        currency,
        timeoutMs: 5000,
      },
      ui: { host: "127.0.0.1", port: 0, idleTimeoutSeconds: options.idleTimeoutSeconds ?? 120 },
      remote: {},
      ...options.extra,
    },
    ...(options.central ? { central: options.central } : {}),
  };
  const config = testConfig(configOptions);
  if (options.invoices?.length) {
    const store = openKioskStore({
      path: databasePath(dataDir),
      deviceId: config.deviceId,
      clock: systemClock,
      logger: createMemoryLogger(),
    });
    for (const invoice of options.invoices) store.invoices.upsertInvoice(invoice, new Date().toISOString());
    store.close();
  }
  options.prepareData?.(dataDir, databasePath(dataDir));
  const file = writeTestConfig(dir, "kiosk", configOptions);
  const kiosk = spawnCli(
    ["start", "--config", file],
    { ...processorEnv, ...options.env },
    options.nodeArgs ?? [],
  );
  let url: string | null = null;
  try {
    await until(
      () => {
        url = loggedUrl(kiosk.output());
        return url !== null || kiosk.child.exitCode !== null;
      },
      "the kiosk to log its screen's URL",
      20_000,
    );
    if (!url) throw new Error(`the kiosk did not serve its screen:\n${kiosk.output()}`);
  } catch (error) {
    await kiosk.kill("SIGKILL");
    await reader.kill();
    await printerPair?.kill();
    await processor.close();
    throw error;
  }
  const servedUrl: string = url;
  // The browser trusts the Authorize.Net simulator's loopback certificate, and only it, for its hosted form.
  const trust = processor.ca ? [`--ignore-certificate-errors-spki-list=${spkiHash(processor.ca)}`] : [];
  const viewport = options.viewport ?? { width: 800, height: 480 };
  const browser: { context: BrowserContext; page: Page; close?: () => Promise<void> } = options.launchBrowser
    ? await options.launchBrowser(dir, viewport)
    : await launchChromium(dir, viewport, trust, options.browserTimeZone);
  const { context, page } = browser;
  await page.goto(servedUrl);

  const screen: KioskScreen = {
    dir,
    url: servedUrl,
    kiosk,
    reader,
    printer,
    processor,
    page,
    context,
    databaseFile: databasePath(dataDir),
    configFile: file,
    swipe: (card) => reader.send(`${fullSwipe(card)}\r`),
    scan: (code) => reader.send(`${code}\r`),
    tap: async (testId) => {
      await page.getByTestId(testId).first().click();
    },
    typeKeys: async (text) => {
      for (const key of text)
        await page
          .getByTestId(key === " " ? "key-space" : `key-${key}`)
          .first()
          .click();
    },
    waitForScreen: async (name, timeoutMs = 10_000) => {
      await page.waitForSelector(`body[data-screen="${name}"]`, { state: "attached", timeout: timeoutMs });
    },
    screenName: async () => (await page.locator("body").getAttribute("data-screen")) ?? undefined,
    shoot: (name) => screenshot(page, dir, name),
    stop: async () => {
      await context.close().catch(() => {});
      await browser.close?.();
      await kiosk.kill("SIGTERM");
      await reader.kill();
      await printerPair?.kill();
      await processor.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await screen.waitForScreen(options.firstScreen ?? "self.attract").catch(async (error: unknown) => {
    await screen.stop();
    throw error;
  });
  return screen;
}
