import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { parseStudio, parseTags } from "../../central/dashboard/groups/placement.js";
import type { RawConfig } from "../../config/env-overrides.js";
import { DEFAULT_CONFIG_PATH, validateConfig } from "../../config/load.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { newDeviceKeyPair } from "../../core/sealed-secret.js";
import type { Output } from "../output.js";
import { DYNSEC_TOPIC, deviceBrokerCommands, newBrokerPassword } from "../provision/broker-account.js";
import { deviceConfig } from "../provision/device-config.js";

interface ProvisionOptions {
  studio: string;
  /** Tags for central's groups (repeatable). */
  tag?: string[];
  processor: string;
  authorizeNetLoginId?: string;
  authorizeNetEnvironment?: string;
  stripeKeyFile?: string;
  stripeReaderId?: string;
  brokerUrl: string;
  out: string;
  deviceId?: string;
  caFile?: string;
  commandKey?: string;
  template?: string;
}

const slug = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "studio";

/** The processors a studio can choose at provisioning, each with what it needs to be written. */
export const PROVISION_PROCESSORS = ["manual", "authorize-net", "stripe"] as const;

/** Where a Stripe kiosk's restricted key lives unless the studio says otherwise (mode 0600, the kiosk's user). */
const STRIPE_KEY_FILE = "/etc/spectra-kiosk/stripe.key";

/**
 * The processor section for the studio's choice: manual entry; Authorize.Net with its API login id
 * (the transaction key is never written here: central delivers it, encrypted to the kiosk); or
 * Stripe with the file that will hold the kiosk's restricted key and the studio's smart reader.
 */
export function processorSection(options: ProvisionOptions): RawConfig {
  switch (options.processor) {
    case "manual":
      return { kind: "manual" };
    case "authorize-net": {
      if (!options.authorizeNetLoginId) {
        throw new KioskError(
          ErrorCodes.CLI_USAGE,
          "--processor authorize-net needs --authorize-net-login-id (the API login id from Authorize.Net's Merchant Interface).",
        );
      }
      return {
        kind: "authorize-net",
        environment: options.authorizeNetEnvironment ?? "production",
        apiLoginId: options.authorizeNetLoginId,
        transactionKeySecret: "authorize-net-transaction-key",
      };
    }
    case "stripe":
      return {
        kind: "stripe",
        apiKeyFile: options.stripeKeyFile ?? STRIPE_KEY_FILE,
        readerId: options.stripeReaderId ?? null,
      };
    default:
      throw new KioskError(
        ErrorCodes.CLI_USAGE,
        `Which card processor does the studio use? --processor ${PROVISION_PROCESSORS.join(" | ")} (not "${options.processor}").`,
      );
  }
}

/** `provision-device`: a new kiosk's id, its broker account and role, and its configuration file. */
export function provisionDevice(options: ProvisionOptions, output: Output): number {
  const processor = processorSection(options);
  // Central's groups: checked now, so a bad name is refused before any file is written.
  const studio = parseStudio(options.studio);
  if (studio === null) throw new KioskError(ErrorCodes.CLI_USAGE, "--studio names the studio.");
  const tags = parseTags(options.tag ?? []);
  const deviceId = options.deviceId ?? `kiosk-${slug(options.studio)}-${randomBytes(3).toString("hex")}`;
  const password = newBrokerPassword();
  const template = JSON.parse(readFileSync(options.template ?? DEFAULT_CONFIG_PATH, "utf8")) as RawConfig;
  // The laptop configuration's staff have demo PINs: a real kiosk starts with none.
  if (!options.template) template.staff = [];
  const config = deviceConfig(template, {
    processor,
    deviceId,
    studioName: options.studio,
    brokerUrl: options.brokerUrl,
    brokerPassword: password,
    caFile: options.caFile ?? null,
    commandPublicKey: options.commandKey ? readFileSync(options.commandKey, "utf8").trim() : null,
  });
  const validation = validateConfig(config);
  if (!validation.ok) {
    throw new KioskError(
      ErrorCodes.CONFIG_INVALID,
      `The configuration for ${deviceId} would not be valid:\n  ${validation.problems.join("\n  ")}`,
    );
  }
  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  writeFileSync(join(options.out, `${deviceId}.json`), `${JSON.stringify(config, null, 2)}\n`, {
    mode: 0o600,
  });
  // The broker hashes the password when the account is created: until then this file holds it.
  const account = join(options.out, `${deviceId}.broker.json`);
  writeFileSync(
    account,
    `${JSON.stringify(deviceBrokerCommands(deviceId, password, options.studio), null, 2)}\n`,
    {
      mode: 0o600,
    },
  );
  // The device's key pair: the kiosk keeps the private half in its secret store; central seals the
  // kiosk's secrets (a processor's key) to the public half, so only this kiosk can open them.
  const deviceKey = newDeviceKeyPair();
  const privateKeyFile = join(options.out, `${deviceId}.device-key`);
  writeFileSync(privateKeyFile, deviceKey.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(options.out, `${deviceId}.device-key.pub`), deviceKey.publicKeyPem, { mode: 0o644 });
  // Where the kiosk belongs, for central (no secret in it): `central placement load FILE`.
  const placementFile = join(options.out, `${deviceId}.placement.json`);
  writeFileSync(placementFile, `${JSON.stringify({ deviceId, studio, tags }, null, 2)}\n`, { mode: 0o644 });
  output.out(`device ${deviceId}`);
  output.out(
    `  ${join(options.out, `${deviceId}.json`)}    its configuration (install with scripts/install-pi.sh --config)`,
  );
  output.out(`  ${account}  its broker account and role; on the broker's host:`);
  output.out(`    mosquitto_pub -u spectra-admin -P ... -t '${DYNSEC_TOPIC}' -f ${account}`);
  output.out(`    mosquitto_ctrl -u spectra-admin dynsec getClient ${deviceId}   (then delete the file)`);
  output.out(
    `  ${privateKeyFile}  its device key: install as /var/lib/spectra-kiosk/secrets/device-key (mode 0600, owner spectra-kiosk), then delete`,
  );
  output.out(`  ${privateKeyFile}.pub  for central: it seals this kiosk's secrets (a processor's key) to it`);
  output.out(
    `  ${placementFile}  its studio and tags, for central's groups: spectra-kiosk central placement load ${placementFile}`,
  );
  if (!options.commandKey)
    output.out("  note: no --command-key given: the kiosk will refuse every remote command");
  if (processor.kind === "authorize-net")
    output.out(
      "  Authorize.Net: deliver the transaction key from central (encrypted to this kiosk); it is never in the configuration file",
    );
  if (processor.kind === "stripe")
    output.out(
      `  Stripe: put the kiosk's restricted key (rk_…) in ${String(processor.apiKeyFile)}, mode 0600, owned by the kiosk's user`,
    );
  return 0;
}

export function registerProvisionCommand(
  program: Command,
  output: Output,
  setExitCode: (code: number) => void,
): void {
  program
    .command("provision-device")
    .description("make a new kiosk's device id, broker account and role, and its configuration file")
    .requiredOption("--studio <name>", "the studio's name")
    .requiredOption("--broker-url <url>", "the studio's broker, e.g. mqtts://broker.studio.example:8883")
    .requiredOption("--out <dir>", "where to write the files")
    .requiredOption(
      "--processor <kind>",
      `the studio's card processor: ${PROVISION_PROCESSORS.join(" | ")} (manual: staff key authorization codes from their own terminal)`,
    )
    .option("--authorize-net-login-id <id>", "Authorize.Net's API login id (with --processor authorize-net)")
    .option("--authorize-net-environment <env>", "production (default) or sandbox")
    .option(
      "--stripe-key-file <file>",
      `where the kiosk's restricted Stripe key will be (default ${STRIPE_KEY_FILE})`,
    )
    .option("--stripe-reader-id <tmr_…>", "the studio's Stripe smart reader (with --processor stripe)")
    .option(
      "--tag <tag>",
      "a tag for central's groups (repeatable): lowercase letters, digits, dashes",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--device-id <id>", "the device id (default: kiosk-<studio>-<random>)")
    .option("--ca-file <file>", "CA certificate path on the kiosk, for mqtts://")
    .option("--command-key <file>", "central's command public key (PEM) from `central keys generate`")
    .option("--template <file>", "configuration to start from (default: config/default.json)")
    .action((options: ProvisionOptions) => setExitCode(provisionDevice(options, output)));
}
