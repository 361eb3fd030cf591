import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../../config/load.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { databasePath } from "../../store/kiosk-store.js";
import type { Output } from "../output.js";
import { applyRelease, writeResult } from "../release/apply-release.js";
import { processService, systemdService } from "../release/kiosk-service.js";
import { unpackRelease, verifyRelease } from "../release/release-bundle.js";
import { ReleaseLayout } from "../release/release-layout.js";

export const RELEASE_ROOT = "/opt/spectra-kiosk";
export const RELEASE_KEY = "/etc/spectra-kiosk/release-key.pub";

interface ReleaseOptions {
  readonly root?: string;
  readonly key?: string;
}

function releaseKey(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new KioskError(
      ErrorCodes.RELEASE_UNSIGNED,
      `No release key at ${path}: install-pi.sh --release-key puts it there.`,
    );
  }
}

function seconds(value: string | undefined, fallback: number, name: string): number {
  const parsed = Number(value ?? fallback);
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 3600) {
    throw new KioskError(ErrorCodes.CLI_USAGE, `--${name} is a number of seconds, 1 to 3600.`);
  }
  return parsed * 1000;
}

interface ApplyCommandOptions extends ReleaseOptions {
  readonly config: string;
  readonly service: string;
  readonly within?: string;
  readonly steady?: string;
  readonly result?: string;
  /** The update command being answered (from the kiosk's request). */
  readonly commandId?: string;
}

/** `release apply`: the update with rollback, its result written and printed; exit 1 when rolled back. */
async function runApply(
  file: string,
  options: ApplyCommandOptions,
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  const { config } = loadConfig({ file: options.config, env });
  const root = resolve(options.root ?? RELEASE_ROOT);
  const dataDir = resolve(config.dataDir);
  const updatesDir = join(dataDir, "updates");
  mkdirSync(updatesDir, { recursive: true });
  if (options.service !== "systemd" && options.service !== "process") {
    throw new KioskError(ErrorCodes.CLI_USAGE, "--service is systemd or process.");
  }
  const service =
    options.service === "systemd"
      ? systemdService()
      : processService({ root, config: resolve(options.config), stateDir: updatesDir });
  const host = config.ui.host === "0.0.0.0" ? "127.0.0.1" : config.ui.host;
  const result = await applyRelease({
    file: resolve(file),
    releaseKeyPem: releaseKey(options.key ?? RELEASE_KEY),
    layout: new ReleaseLayout(root),
    service,
    database: databasePath(dataDir),
    backupsDir: join(dataDir, "backups"),
    healthUrl: `http://${host}:${config.ui.port}/health`,
    healthyWithinMs: seconds(options.within, 90, "within"),
    steadyMs: seconds(options.steady, 10, "steady"),
    say: (line) => output.out(`${new Date().toISOString()} ${line}`),
  });
  const resultFile = options.result ?? join(updatesDir, "result.json");
  mkdirSync(dirname(resultFile), { recursive: true });
  const answered = options.commandId ? { ...result, commandId: options.commandId } : result;
  writeResult(resultFile, answered);
  output.out(JSON.stringify(answered));
  return result.state === "rolled-back" ? 1 : 0;
}

export function registerReleaseCommands(
  program: Command,
  output: Output,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): void {
  const release = program
    .command("release")
    .description("kiosk releases: install, update with rollback, status");
  const common = (command: Command) =>
    command
      .option("--root <dir>", "where releases live side by side", RELEASE_ROOT)
      .option("--key <file>", "the release key's public half", RELEASE_KEY);

  common(release.command("install"))
    .description("verify a release and unpack it beside the others; make it current if none is")
    .argument("<file>", "spectra-kiosk-VERSION-linux-ARCH.tar.gz, with its .sha256 and .sha256.sig beside it")
    .action((file: string, options: ReleaseOptions) => {
      const layout = new ReleaseLayout(resolve(options.root ?? RELEASE_ROOT));
      const verified = verifyRelease(resolve(file), releaseKey(options.key ?? RELEASE_KEY));
      mkdirSync(layout.releasesDir, { recursive: true });
      const dir = unpackRelease(verified, layout.releasesDir);
      output.out(`release ${verified.version} verified and unpacked in ${dir}`);
      if (layout.current === null) {
        layout.switchTo(verified.version);
        output.out(`current → ${verified.version}`);
      } else if (layout.current !== verified.version) {
        output.out(
          `current stays ${layout.current}: switch with 'spectra-kiosk release apply ${file}' (backup, health check, rollback)`,
        );
      }
      setExitCode(0);
    });

  common(release.command("apply"))
    .description(
      "update to a release: back up the database, switch, roll back unless it reports healthy in time",
    )
    .argument("<file>", "spectra-kiosk-VERSION-linux-ARCH.tar.gz, with its .sha256 and .sha256.sig beside it")
    .option(
      "-c, --config <file>",
      "the kiosk's configuration (its database and screen port)",
      "/etc/spectra-kiosk/kiosk.json",
    )
    .option(
      "--service <kind>",
      "systemd (the spectra-kiosk unit) or process (no systemd: a chroot, a test)",
      "systemd",
    )
    .option("--within <seconds>", "how long the new release has to report healthy", "90")
    .option("--steady <seconds>", "how long it must then stay up", "10")
    .option("--result <file>", "where to write the result (default: DATADIR/updates/result.json)")
    .action(async (file: string, options: ApplyCommandOptions) =>
      setExitCode(await runApply(file, options, env, output)),
    );

  common(release.command("apply-request"))
    .description("apply the update the kiosk downloaded (spectra-kiosk-update.service runs this as root)")
    .argument("<request>", 'updates/request.json: { "file": the release file beside it, "commandId" }')
    .option("-c, --config <file>", "the kiosk's configuration", "/etc/spectra-kiosk/kiosk.json")
    .option("--service <kind>", "systemd or process", "systemd")
    .option("--within <seconds>", "how long the new release has to report healthy", "90")
    .option("--steady <seconds>", "how long it must then stay up", "10")
    .action(async (request: string, options: ApplyCommandOptions) => {
      const parsed = JSON.parse(readFileSync(request, "utf8")) as { file?: unknown; commandId?: unknown };
      // Taken at once: the path unit must not start this again for the same request.
      rmSync(request, { force: true });
      // The release must sit beside the request (the kiosk's updates folder): no path from elsewhere.
      if (typeof parsed.file !== "string" || basename(parsed.file) !== parsed.file) {
        throw new KioskError(
          ErrorCodes.RELEASE_INVALID,
          `${request} does not name a release file beside it.`,
        );
      }
      const commandId = typeof parsed.commandId === "string" ? parsed.commandId.slice(0, 64) : undefined;
      const file = join(dirname(request), parsed.file);
      setExitCode(await runApply(file, { ...options, ...(commandId ? { commandId } : {}) }, env, output));
    });

  release
    .command("status")
    .description("the current and previous release, and every one unpacked")
    .option("--root <dir>", "where releases live side by side", RELEASE_ROOT)
    .action((options: { root?: string }) => {
      const layout = new ReleaseLayout(resolve(options.root ?? RELEASE_ROOT));
      output.out(
        JSON.stringify({ current: layout.current, previous: layout.previous, installed: layout.installed() }),
      );
      setExitCode(0);
    });
}
