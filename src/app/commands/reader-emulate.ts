import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { SerialPort } from "serialport";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { scriptStep } from "../../drivers/card-reader/emulator-script.js";
import { ptyHeldOpen } from "../../drivers/serial/pty-opened.js";
import { SocatPair } from "../../drivers/serial/socat-pair.js";
import type { Output } from "../output.js";

const LINE_ENDINGS = { cr: "\r", lf: "\n", crlf: "\r\n" } as const;

export interface EmulateOptions {
  tty?: string;
  link?: string;
  file?: string;
  lineEnding?: keyof typeof LINE_ENDINGS;
  interval?: string;
  keepOpen?: boolean;
  /** commander's --no-wait: play at once instead of waiting for the kiosk to open its end. */
  wait?: boolean;
}

async function openTty(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((error) =>
      error
        ? reject(new KioskError(ErrorCodes.CLI_USAGE, `Cannot open ${path}: ${error.message}`))
        : resolve(),
    ),
  );
  return port;
}

function write(port: SerialPort, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(bytes, (error) => (error ? reject(error) : port.drain(() => resolve())));
  });
}

/**
 * `reader emulate`: plays a reader's output into a pty pair made with socat (the kiosk opens
 * `--link`) or into a given tty, from a script file or typed lines (see emulator-script.ts for the
 * `@swipe visa`-style macros), so a person can drive the kiosk without hardware.
 */
export async function readerEmulate(
  input: Readable,
  options: EmulateOptions,
  output: Output,
): Promise<number> {
  const lineEnding = LINE_ENDINGS[options.lineEnding ?? "cr"];
  if (!lineEnding) throw new KioskError(ErrorCodes.CLI_USAGE, "--line-ending is cr, lf or crlf.");
  const interval = Number(options.interval ?? 0);
  let pair: SocatPair | null = null;
  let port: SerialPort;
  if (options.tty) {
    port = await openTty(options.tty);
    output.err(`emulating a reader on ${options.tty}`);
  } else {
    const link = options.link ?? "/tmp/spectra-reader";
    pair = await SocatPair.at(link, `${link}-device`);
    port = await pair.device();
    output.err(
      `emulating a reader: point the kiosk at ${link}, e.g. spectra-kiosk reader listen --path ${link}`,
    );
    if (options.wait !== false) {
      output.err("waiting for the kiosk to open it (--no-wait to play at once)...");
      const ignore = [process.pid, pair.pid ?? -1];
      while (!ptyHeldOpen(link, ignore)) await sleep(100);
    }
  }
  const source = options.file ? createReadStream(options.file, "utf8") : input;
  let stopped = false;
  const stop = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  void stop.then(() => {
    stopped = true;
    lines.close();
  });
  let problems = 0;
  try {
    for await (const text of lines) {
      if (stopped) break;
      const result = scriptStep(text, lineEnding);
      if (!result.ok) {
        problems += 1;
        output.err(`skipped: ${result.problem}`);
        continue;
      }
      if (result.step?.kind === "wait") await sleep(result.step.ms);
      else if (result.step?.kind === "send") {
        await write(port, result.step.bytes);
        if (interval > 0) await sleep(interval);
      }
    }
    if (options.keepOpen && !stopped) {
      output.err("script done; the pty stays until Ctrl-C");
      await stop;
    } else if (!stopped) {
      // Give the kiosk end a moment to read the last line before the pty goes away.
      await sleep(200);
    }
  } finally {
    if (pair) await pair.kill();
    else await new Promise<void>((resolve) => port.close(() => resolve()));
  }
  return problems === 0 ? 0 : 1;
}
