import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { describeCardReaderContract } from "../../src/drivers/card-reader/reader-contract.test-helpers.js";
import { SocatPair } from "../../src/drivers/serial/socat-pair.js";
import { serialTransport } from "../../src/drivers/serial/transport.js";

// The real driver: serialport + @serialport/parser-readline on a socat pty pair, through the same
// contract as the in-memory simulator. Unplug is killing socat; replug is starting it again.
const dir = mkdtempSync(join(tmpdir(), "spectra-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let pairs = 0;

describeCardReaderContract("serialport over a socat pty", async () => {
  pairs += 1;
  const pair = await SocatPair.start(dir, `reader${pairs}`);
  return {
    open: serialTransport({ path: pair.kioskPath, baudRate: 9600 }),
    simulated: false,
    send: (bytes) => pair.send(bytes),
    unplug: () => pair.kill(),
    replug: () => pair.restart(),
    close: () => pair.kill(),
  };
});
