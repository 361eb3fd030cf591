import { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { ErrorCodes } from "../core/error-codes.js";
import { isKioskError } from "../core/kiosk-error.js";
import { databasePath } from "../store/kiosk-store.js";
import { registerCentralCommands } from "./commands/central.js";
import { configCheck } from "./commands/config-check.js";
import { dbBackup } from "./commands/db-backup.js";
import { dbCheck } from "./commands/db-check.js";
import { registerGpioCommands } from "./commands/gpio-test.js";
import { hashPinCommand } from "./commands/hash-pin.js";
import { registerProvisionCommand } from "./commands/provision-device.js";
import { registerReaderCommands } from "./commands/reader.js";
import { registerReleaseCommands } from "./commands/release.js";
import { startCommand } from "./commands/start.js";
import { registerStripeSimCommand } from "./commands/stripe-sim.js";
import { registerSyncCommands } from "./commands/sync.js";
import { type Output, processOutput } from "./output.js";
import { removeGlobalsNeedingWebAssembly } from "./web-globals.js";

const configOption = [
  "-c, --config <file>",
  "configuration file (default: $SPECTRA_KIOSK_CONFIG or config/default.json)",
] as const;

/** The `spectra-kiosk` command line. Each action returns its exit code. */
export function buildProgram(
  output: Output,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): Command {
  const program = new Command("spectra-kiosk")
    .description("Spectra Kiosk: a payment terminal for studios running Spectra")
    .option("--verbose", "show stack traces with errors")
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      writeErr: (text) => output.err(text.trimEnd()),
    });

  program
    .command("start")
    .description("run the kiosk (screen server, drivers, sync) until stopped")
    .option(...configOption)
    .action(async (options: { config?: string }) => setExitCode(await startCommand(options.config, env)));

  const config = program.command("config").description("work with the configuration");
  config
    .command("check")
    .description("validate a configuration: exit 0 if valid, 1 listing every problem")
    .option(...configOption)
    .action((options: { config?: string }) => setExitCode(configCheck(options.config, env, output)));

  const db = program.command("db").description("work with the kiosk's local database");
  db.command("check")
    .description("check the database's integrity and its audit hash chain")
    .option(...configOption)
    .option("--db <file>", "the database file (default: from the configuration's dataDir)")
    .action((options: { config?: string; db?: string }) => {
      const path = options.db ?? databasePath(loadConfig({ file: options.config, env }).config.dataDir);
      setExitCode(dbCheck(path, output));
    });

  db.command("backup")
    .description("copy the live database to FILE (safe while the kiosk runs), then check the copy")
    .argument("<file>", "the backup file to create")
    .option(...configOption)
    .option("--db <file>", "the database file (default: from the configuration's dataDir)")
    .action(async (file: string, options: { config?: string; db?: string }) => {
      const path = options.db ?? databasePath(loadConfig({ file: options.config, env }).config.dataDir);
      setExitCode(await dbBackup(path, file, output));
    });

  const staff = program.command("staff").description("staff sign-in");
  staff
    .command("hash-pin")
    .description("read a PIN from standard input and print its hash for the configuration's staff list")
    .action(async () => setExitCode(await hashPinCommand(process.stdin, output)));

  registerReaderCommands(program, output, env, setExitCode);
  registerGpioCommands(program, output, env, setExitCode);
  registerReleaseCommands(program, output, env, setExitCode);
  registerStripeSimCommand(program, output, setExitCode);
  registerProvisionCommand(program, output, setExitCode);
  registerSyncCommands(program, output, env, setExitCode);
  registerCentralCommands(program, output, env, setExitCode);

  return program;
}

/** Runs the command line: errors are one clear line with their code, stack traces only with --verbose. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  removeGlobalsNeedingWebAssembly();
  let exitCode = 0;
  const program = buildProgram(output, process.env, (code) => {
    exitCode = code;
  });
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    const commanderCode = (error as { code?: unknown }).code;
    if (typeof commanderCode === "string" && commanderCode.startsWith("commander.")) {
      return commanderCode === "commander.helpDisplayed" || commanderCode === "commander.version" ? 0 : 2;
    }
    const verbose = argv.includes("--verbose");
    if (isKioskError(error)) output.err(`error: ${error.message}`);
    else output.err(`error: [${ErrorCodes.INTERNAL}] ${(error as Error).message ?? String(error)}`);
    if (verbose && error instanceof Error && error.stack) output.err(error.stack);
    return 1;
  }
}
