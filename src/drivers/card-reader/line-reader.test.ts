import { SimulatedLine } from "../serial/simulated-line.js";
import { describeCardReaderContract } from "./reader-contract.test-helpers.js";

// The simulator passes the same contract as real serialport over a pty (test/drivers/card-reader.test.ts).
describeCardReaderContract("in-memory simulated line", async () => {
  const line = new SimulatedLine();
  return {
    open: line.open,
    simulated: true,
    send: async (bytes) => {
      line.emitData(bytes);
    },
    unplug: async () => line.unplug(),
    replug: async () => line.replug(),
    close: async () => {},
  };
});
