import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { describePrinterContract } from "../../src/drivers/printer/printer-contract.test-helpers.js";
import { PrinterEmulator } from "../../src/drivers/printer/printer-emulator.js";
import { SocatPair } from "../../src/drivers/serial/socat-pair.js";
import { serialTransport } from "../../src/drivers/serial/transport.js";

// The real printer driver on serialport over a socat pty: the bytes are checked as they arrive at the
// pty's other end, where the emulator plays the printer and answers status requests.
const dir = mkdtempSync(join(tmpdir(), "spectra-printer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let pairs = 0;

describePrinterContract("serialport over a socat pty", async () => {
  pairs += 1;
  const pair = await SocatPair.start(dir, `printer${pairs}`);
  const port = await pair.device();
  const device = new PrinterEmulator((bytes) => port.write(bytes));
  port.on("data", (chunk: Buffer) => device.receive(chunk));
  return {
    open: serialTransport({ path: pair.kioskPath, baudRate: 9600 }),
    simulated: false,
    device,
    unplug: () => pair.kill(),
    close: () => pair.kill(),
  };
});
