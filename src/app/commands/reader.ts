import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { Command } from "commander";
import { loadConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { createLogger } from "../../core/logger.js";
import { maskedCardFields } from "../../drivers/card-reader/card-read.js";
import { DEFAULT_SCAN_OPTIONS } from "../../drivers/card-reader/invoice-scan.js";
import type { LineReader } from "../../drivers/card-reader/line-reader.js";
import { type LineEvent, type LineRole, routeLine } from "../../drivers/card-reader/line-router.js";
import { cardReaderConfigSchema } from "../../drivers/config.js";
import { createLineReader } from "../../drivers/drivers.js";
import { DEFAULT_CARD_PREFIXES } from "../../payments/card/card-brand.js";
import type { Output } from "../output.js";
import { readerEmulate } from "./reader-emulate.js";

const ROLES: readonly LineRole[] = ["cards", "scans", "both"];
const LINE_ENDINGS = { cr: "\r", lf: "\n", crlf: "\r\n" } as const;

/** One JSON object for one line: masked fields only, never the line or a clear number. */
export function describeEvent(event: LineEvent): Record<string, unknown> {
  switch (event.type) {
    case "cardRead": {
      const card = maskedCardFields(event.card);
      event.card.secrets.wipe();
      return { ok: true, card };
    }
    case "invoiceScan":
      return { ok: true, scan: event.scan };
    case "cardRejected":
    case "scanRejected":
      return { ok: false, code: event.error.code, message: event.error.detail };
  }
}

function roleOption(value: string | undefined): LineRole {
  const role = (value ?? "cards") as LineRole;
  if (!ROLES.includes(role))
    throw new KioskError(ErrorCodes.CLI_USAGE, `--role is one of ${ROLES.join(", ")}.`);
  return role;
}

/** `reader parse`: each line of input (CR, LF or CR LF ended) → one JSON line. Exit 1 if any was refused. */
export async function readerParse(
  input: Readable,
  output: Output,
  options: { role?: string; allowExpired?: boolean; maxLine?: string },
): Promise<number> {
  const role = roleOption(options.role);
  const maxLineLength = Number(options.maxLine ?? 2048);
  let refused = 0;
  for await (const chunk of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    for (const line of chunk.split("\r")) {
      const event = routeLine(line, {
        role,
        maxLineLength,
        swipe: {
          prefixes: DEFAULT_CARD_PREFIXES,
          now: systemClock.now(),
          rejectExpired: !options.allowExpired,
        },
        scan: DEFAULT_SCAN_OPTIONS,
      });
      if (event === null) continue;
      const described = describeEvent(event);
      if (described.ok === false) refused += 1;
      output.out(JSON.stringify(described));
    }
  }
  return refused === 0 ? 0 : 1;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

/** `reader listen`: the same JSON lines from a live port, plus health changes, until stopped. */
export async function readerListen(
  output: Output,
  options: {
    config?: string;
    path?: string;
    baud?: string;
    lineEnding?: keyof typeof LINE_ENDINGS;
    role?: string;
  },
  env: NodeJS.ProcessEnv,
  until: Promise<void> = untilSignal(),
): Promise<number> {
  let section = loadConfig({ file: options.config, env }).config.drivers.cardReader;
  if (options.path) {
    section = cardReaderConfigSchema.parse({
      mode: "serial",
      path: options.path,
      baudRate: Number(options.baud ?? (section.mode === "serial" ? section.baudRate : 9600)),
      lineEnding: LINE_ENDINGS[options.lineEnding ?? "cr"] ?? "\r",
      role: roleOption(options.role ?? (section.mode === "none" ? undefined : section.role)),
    });
  }
  if (section.mode !== "serial") {
    throw new KioskError(
      ErrorCodes.CLI_USAGE,
      `The configured card reader is ${section.mode}: pass --path /dev/... to listen to a port.`,
    );
  }
  const logger = createLogger({ level: "warn", destination: 2 });
  const { reader } = createLineReader("card-reader", section, { logger, clock: systemClock });
  if (!reader) return 1;
  subscribe(reader, output);
  output.err(`listening on ${section.path} (Ctrl-C to stop)`);
  reader.start();
  await until;
  await reader.stop();
  return 0;
}

function subscribe(reader: LineReader, output: Output): void {
  const print = (event: LineEvent): void => output.out(JSON.stringify(describeEvent(event)));
  reader.on("cardRead", (card) => print({ type: "cardRead", card }));
  reader.on("cardRejected", (error) => print({ type: "cardRejected", error }));
  reader.on("invoiceScan", (scan) => print({ type: "invoiceScan", scan }));
  reader.on("scanRejected", (error) => print({ type: "scanRejected", error }));
  reader.on("health", (health) => output.out(JSON.stringify({ health })));
}

export function registerReaderCommands(
  program: Command,
  output: Output,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): void {
  const reader = program.command("reader").description("check what a card reader or scanner sends");
  reader
    .command("parse")
    .description("read lines on standard input, print one JSON object per line (masked fields only)")
    .option("--role <role>", "cards, scans or both", "cards")
    .option("--allow-expired", "read expired cards instead of refusing them")
    .option("--max-line <n>", "longest line accepted", "2048")
    .action(async (options: { role?: string; allowExpired?: boolean; maxLine?: string }) =>
      setExitCode(await readerParse(process.stdin, output, options)),
    );
  reader
    .command("listen")
    .description("print what the card reader sends, one JSON object per swipe or scan, until Ctrl-C")
    .option(
      "-c, --config <file>",
      "configuration file (default: $SPECTRA_KIOSK_CONFIG or config/default.json)",
    )
    .option("--path <path>", "the serial port (default: drivers.cardReader.path from the configuration)")
    .option("--baud <rate>", "baud rate")
    .option("--line-ending <ending>", "cr, lf or crlf", "cr")
    .option("--role <role>", "cards, scans or both")
    .action(async (options: Parameters<typeof readerListen>[1]) =>
      setExitCode(await readerListen(output, options, env)),
    );
  reader
    .command("emulate")
    .description(
      "act as a card reader on a pseudo-terminal (socat) or a given tty, playing a file or typed lines",
    )
    .option("--tty <path>", "write to this existing tty instead of making a pty pair")
    .option("--link <path>", "where the kiosk end of the pty pair appears", "/tmp/spectra-reader")
    .option("--file <file>", "play this script (default: lines typed on standard input)")
    .option("--line-ending <ending>", "cr, lf or crlf", "cr")
    .option("--interval <ms>", "pause between lines", "0")
    .option("--keep-open", "keep the pty pair after the script ends, until Ctrl-C")
    .option("--no-wait", "play at once instead of waiting for the kiosk to open the pty")
    .action(async (options: Parameters<typeof readerEmulate>[1]) =>
      setExitCode(await readerEmulate(process.stdin, options, output)),
    );
}
