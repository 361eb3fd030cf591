import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { testCardNumber } from "../../payments/card/test-card-number.js";
import type { Output } from "../output.js";
import { untilStopSignal } from "../stop-signal.js";

/** A secret in a file only its owner can read, as the kiosk and central require. */
function secretFile(dir: string, name: string, secret: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/**
 * `spectra-kiosk stripe-sim`: a Stripe account in a process for the laptop setup and demos — the
 * kiosk's restricted key, central's full key and the webhook secret written to owner-only files for
 * the configurations to name, simulated readers at one location, and (with --webhook) events sent
 * to central's endpoint, signed.
 */
export function registerStripeSimCommand(
  program: Command,
  output: Output,
  setExitCode: (code: number) => void,
): void {
  program
    .command("stripe-sim")
    .description(
      "run the Stripe simulator (PaymentIntents, simulated readers, Checkout, webhooks) on loopback",
    )
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on", "12111")
    .option("--readers <n>", "simulated readers to register", "1")
    .option(
      "--key-dir <dir>",
      "where to write the keys and the webhook secret (mode 0600)",
      "data/stripe-sim",
    )
    .option("--webhook <url>", "send events to central's webhook endpoint at this URL")
    .option(
      "--auto-present <masked>",
      "readers present this test card (its masked form, e.g. 424242******4242) by themselves after 3 s",
    )
    .action(
      async (options: {
        host: string;
        port: string;
        readers: string;
        keyDir: string;
        webhook?: string;
        autoPresent?: string;
      }) => {
        // Loaded here only: the kiosk's own process never carries the simulator's code.
        const [{ KIOSK_KEY_GRANT }, { startStripeSimulator }] = await Promise.all([
          import("../../processors/stripe-simulator/kiosk-grant.js"),
          import("../../processors/stripe-simulator/stripe-simulator.js"),
        ]);
        // The card's number is made from its masked form (CARD_MASKED_PAN_INVALID otherwise, before
        // anything starts): no full number on the command line, in the shell's history or in `ps`.
        const auto = options.autoPresent === undefined ? null : testCardNumber(options.autoPresent);
        const simulator = await startStripeSimulator({
          host: options.host,
          port: Number(options.port),
          readers: Math.min(Math.max(Number(options.readers) || 1, 1), 10),
          ...(auto ? { autoPresent: { afterMs: 3_000, card: () => auto } } : {}),
        });
        const dir = resolve(options.keyDir);
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const kioskKey = secretFile(dir, "kiosk.key", simulator.restrictedKey(KIOSK_KEY_GRANT));
        const centralKey = secretFile(dir, "central.key", simulator.secretKey);
        const webhookSecret = options.webhook
          ? secretFile(dir, "webhook.secret", simulator.addWebhookEndpoint(options.webhook))
          : null;
        output.out(`Stripe simulator listening on ${simulator.url}`);
        output.out(
          `  endpoint: { "host": "${simulator.host}", "port": ${simulator.port}, "protocol": "http" }`,
        );
        output.out(`  location ${simulator.location}; readers ${simulator.readers.join(", ")}`);
        output.out(`  kiosk's restricted key: ${kioskKey}; central's key: ${centralKey}`);
        if (webhookSecret) output.out(`  webhooks to ${options.webhook}, signing secret in ${webhookSecret}`);
        await untilStopSignal();
        await simulator.close();
        setExitCode(0);
      },
    );
}
