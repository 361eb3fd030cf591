import type { Command } from "commander";
import { startGatewaySimulator } from "../../processors/gateway-simulator/gateway-simulator.js";
import type { Output } from "../output.js";
import { untilStopSignal } from "../stop-signal.js";

/** `spectra-kiosk gateway-sim`: the card gateway simulator as its own HTTP server, until stopped. */
export function registerGatewaySimCommand(
  program: Command,
  output: Output,
  setExitCode: (code: number) => void,
): void {
  program
    .command("gateway-sim")
    .description("run the card gateway simulator (test cards, hosted card entry, a ledger at GET /v1/ledger)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on", "4242")
    .option("--api-key <key>", "the API key kiosks must send", "sk_test_simulator")
    .action(async (options: { host: string; port: string; apiKey: string }) => {
      const simulator = await startGatewaySimulator({
        host: options.host,
        port: Number(options.port),
        apiKey: options.apiKey,
      });
      output.out(`gateway simulator listening on ${simulator.url} (API key ${simulator.apiKey})`);
      await untilStopSignal();
      await simulator.close();
      setExitCode(0);
    });
}
