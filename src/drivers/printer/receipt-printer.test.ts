import { SimulatedLine } from "../serial/simulated-line.js";
import { describePrinterContract } from "./printer-contract.test-helpers.js";
import { PrinterEmulator } from "./printer-emulator.js";

// The simulated printer passes the same contract as a real serial port over a pty (test/drivers/printer.test.ts).
describePrinterContract("simulated line with the printer emulator", async () => {
  const line = new SimulatedLine();
  const device = new PrinterEmulator((bytes) => {
    line.emitData(bytes);
  });
  line.onWrite = (chunk) => device.receive(chunk);
  return {
    open: line.open,
    simulated: true,
    device,
    unplug: async () => line.unplug(),
    close: async () => {},
  };
});
