import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { Command } from "commander";
import {
  generateCommandKey,
  publicKeyPem,
  readCommandKey,
} from "../../central/dashboard/control/command-key.js";
import { loadConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { createLogger } from "../../core/logger.js";
import type { Output } from "../output.js";
import { loggerFor } from "./logger-for.js";

async function readFirstLine(input: Readable): Promise<string> {
  const lines = createInterface({ input, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return "";
}

/** Who the audit log names for a change made on the command line. */
const cliActor = (env: NodeJS.ProcessEnv): string => `cli:${(env.USER ?? "unknown").slice(0, 40)}`;

/**
 * `central user add NAME [--role R]`: the password comes from standard input (never the command
 * line, where shell history and `ps` would keep it); only its scrypt hash is stored. The first user
 * of an install is an admin; after that the role must be named — nobody becomes an admin by omission.
 */
export async function userAddCommand(
  name: string,
  options: { config?: string | undefined; replace: boolean; role?: string | undefined },
  input: Readable & { isTTY?: boolean },
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  const { config } = loadConfig({ file: options.config, env });
  const { parseRole } = await import("../../central/dashboard/auth/roles.js");
  if (options.replace && options.role !== undefined) {
    throw new KioskError(
      ErrorCodes.CLI_USAGE,
      "--replace sets a new password only: change a role with `central user role NAME ROLE`.",
    );
  }
  const role = options.role === undefined ? null : parseRole(options.role);
  if (input.isTTY) output.err(`Type the password for ${name} (at least 12 characters) and press Enter:`);
  const password = await readFirstLine(input);
  const logger = loggerFor(config).child("central");
  const { openCentralDb } = await import("../../central/db/open-central-db.js");
  const { migrateCentral } = await import("../../central/migrate.js");
  const { addUser, checkUserName } = await import("../../central/dashboard/auth/users.js");
  const { checkPasswordStrength } = await import("../../central/dashboard/auth/password.js");
  const { createUser, listUsers } = await import("../../central/dashboard/auth/user-directory.js");
  const db = await openCentralDb(config.central.database, logger);
  try {
    await migrateCentral(db, logger);
    const at = systemClock.now().toISOString();
    if (options.replace) {
      await addUser(db, name, password, at, { replace: true });
      output.out(`dashboard user ${name}: password replaced, sessions ended`);
      return 0;
    }
    const existing = await listUsers(db);
    // What is wrong with the name or the password is said first; the missing role after.
    checkUserName(name);
    checkPasswordStrength(password);
    if (existing.some((user) => user.name === name)) {
      throw new KioskError(
        ErrorCodes.DASHBOARD_USER_EXISTS,
        `The dashboard user ${name} exists already: use --replace to set a new password.`,
      );
    }
    const chosen = role ?? (existing.length === 0 ? "admin" : null);
    if (chosen === null) {
      throw new KioskError(
        ErrorCodes.CLI_USAGE,
        "Say which role the user gets: --role viewer | operator | admin (only the first user is an admin by default).",
      );
    }
    await createUser(db, name, password, chosen, { at, by: cliActor(env) });
    output.out(`dashboard user ${name} added (${chosen})`);
    return 0;
  } finally {
    await db.close();
  }
}

/** `central user list | remove NAME | role NAME ROLE`: the same rules as the users page, audited. */
export async function userAdminCommand(
  action: "list" | "remove" | "role",
  args: { name?: string; role?: string },
  options: { config?: string | undefined },
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  const { config } = loadConfig({ file: options.config, env });
  const { parseRole } = await import("../../central/dashboard/auth/roles.js");
  const role = action === "role" ? parseRole(args.role ?? "") : null;
  const logger = loggerFor(config).child("central");
  const { openCentralDb } = await import("../../central/db/open-central-db.js");
  const { migrateCentral } = await import("../../central/migrate.js");
  const users = await import("../../central/dashboard/auth/user-directory.js");
  const db = await openCentralDb(config.central.database, logger);
  try {
    await migrateCentral(db, logger);
    const change = { at: systemClock.now().toISOString(), by: cliActor(env) };
    const name = args.name ?? "";
    if (action === "list") {
      for (const user of await users.listUsers(db))
        output.out(
          `${user.name}\t${user.role}\tcreated ${user.createdAt}\tlast sign-in ${user.lastSignInAt ?? "never"}`,
        );
    } else if (action === "remove") {
      const removed = await users.removeUser(db, name, change);
      output.out(`dashboard user ${name} (${removed.role}) removed; ${removed.sessionsEnded} sessions ended`);
    } else if (role !== null) {
      const { from } = await users.setUserRole(db, name, role, change);
      output.out(
        from === role
          ? `dashboard user ${name} is ${role} already`
          : `dashboard user ${name}: ${from} → ${role}`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * `central device-key set DEVICE FILE`: records the kiosk's device public key (provision-device's
 * {deviceId}.device-key.pub), to which central seals the secrets it delivers to that kiosk.
 */
export async function deviceKeySetCommand(
  deviceId: string,
  file: string,
  options: { config?: string | undefined },
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  const { config } = loadConfig({ file: options.config, env });
  const pem = readFileSync(file, "utf8");
  const logger = loggerFor(config).child("central");
  const { openCentralDb } = await import("../../central/db/open-central-db.js");
  const { migrateCentral } = await import("../../central/migrate.js");
  const { setDeviceKey } = await import("../../central/dashboard/control/device-keys.js");
  const db = await openCentralDb(config.central.database, logger);
  try {
    await migrateCentral(db, logger);
    await setDeviceKey(db, deviceId, pem, env.USER ?? "operator", systemClock.now().toISOString());
    output.out(`device key of ${deviceId} set: central seals its secrets to it`);
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * `central placement set DEVICE --studio NAME --tag T…` or `central placement load FILE` (the
 * {deviceId}.placement.json provision-device wrote): a kiosk's studio and tags for central's groups,
 * audited as set by the operator's login name. A kiosk that has not connected yet may be placed.
 */
export async function placementCommand(
  request: { deviceId?: string; studio?: string; tags?: string[]; file?: string },
  options: { config?: string | undefined },
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  const { parseStudio, parseTags } = await import("../../central/dashboard/groups/placement.js");
  let deviceId = request.deviceId ?? "";
  let studioText = request.studio ?? "";
  let tagTexts = request.tags ?? [];
  if (request.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(request.file, "utf8"));
    } catch (error) {
      throw new KioskError(
        ErrorCodes.CLI_USAGE,
        `${request.file} is not a placement file provision-device wrote: ${(error as Error).message.slice(0, 200)}`,
      );
    }
    const file = parsed as { deviceId?: unknown; studio?: unknown; tags?: unknown };
    if (
      typeof file !== "object" ||
      file === null ||
      typeof file.deviceId !== "string" ||
      !(file.studio === null || typeof file.studio === "string") ||
      !Array.isArray(file.tags) ||
      !file.tags.every((tag) => typeof tag === "string")
    ) {
      throw new KioskError(
        ErrorCodes.CLI_USAGE,
        `${request.file} is not a placement file: { "deviceId": "…", "studio": "…", "tags": ["…"] }.`,
      );
    }
    deviceId = file.deviceId;
    studioText = file.studio ?? "";
    tagTexts = file.tags as string[];
  }
  const { isDeviceId } = await import("../../sync/protocol/topics.js");
  if (!isDeviceId(deviceId))
    throw new KioskError(ErrorCodes.CLI_USAGE, `"${deviceId.slice(0, 80)}" is not a device id.`);
  const placement = { studio: parseStudio(studioText), tags: parseTags(tagTexts) };
  const { config } = loadConfig({ file: options.config, env });
  const logger = loggerFor(config).child("central");
  const { openCentralDb } = await import("../../central/db/open-central-db.js");
  const { migrateCentral } = await import("../../central/migrate.js");
  const { setPlacement } = await import("../../central/dashboard/groups/placement-queries.js");
  const db = await openCentralDb(config.central.database, logger);
  try {
    await migrateCentral(db, logger);
    const { changed } = await setPlacement(db, {
      deviceId,
      placement,
      user: env.USER ?? "operator",
      at: systemClock.now().toISOString(),
    });
    output.out(
      `${deviceId}: studio ${placement.studio ?? "(none)"}, tags ${placement.tags.join(", ") || "(none)"}${changed ? "" : " (unchanged)"}`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * `central integration add|revoke|list`: the integration API's tokens. A new token is printed once
 * (standard output, nothing else on it) and only its SHA-256 hash is kept.
 */
export async function integrationCommand(
  action: "add" | "revoke" | "list",
  name: string | null,
  options: { config?: string | undefined },
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  const { config } = loadConfig({ file: options.config, env });
  // Standard output carries the token alone (`TOKEN=$(… integration add NAME)`): logs go to stderr.
  const logger = createLogger({ level: config.log.level, destination: config.log.file ?? 2 }).child(
    "central",
  );
  const { openCentralDb } = await import("../../central/db/open-central-db.js");
  const { migrateCentral } = await import("../../central/migrate.js");
  const tokens = await import("../../central/integration-api/tokens.js");
  const db = await openCentralDb(config.central.database, logger);
  try {
    await migrateCentral(db, logger);
    const at = systemClock.now().toISOString();
    if (action === "add") {
      const token = await tokens.addIntegrationToken(db, name ?? "", at);
      output.err(
        `integration ${name} added; its token (shown only now, keep it in the integration's secrets):`,
      );
      output.out(token);
    } else if (action === "revoke") {
      await tokens.revokeIntegrationToken(db, name ?? "", at);
      output.out(`integration ${name}: token revoked`);
    } else {
      for (const row of await tokens.listIntegrations(db))
        output.out(
          `${row.name}\tcreated ${row.createdAt}\t${row.revokedAt ? `revoked ${row.revokedAt}` : "active"}\tlast used ${row.lastUsedAt ?? "never"}`,
        );
    }
    return 0;
  } finally {
    await db.close();
  }
}

function keyPath(
  options: { out?: string | undefined; config?: string | undefined },
  env: NodeJS.ProcessEnv,
): string {
  if (options.out) return options.out;
  const path = loadConfig({ file: options.config, env }).config.central.dashboard.commandKeyFile;
  if (path === null) {
    throw new KioskError(
      ErrorCodes.CLI_USAGE,
      "central.dashboard.commandKeyFile is not set: set it in the configuration or pass --out FILE.",
    );
  }
  return path;
}

export function registerCentralAdminCommands(
  central: Command,
  output: Output,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): void {
  const configOf = (options: { config?: string }): string | undefined =>
    options.config ?? central.opts<{ config?: string }>().config;

  const user = central.command("user").description("fleet dashboard users");
  user
    .command("add")
    .description("add a dashboard user; the password is read from standard input")
    .argument("<name>", "2–64 lowercase letters, digits, and . _ @ -")
    .option("-c, --config <file>", "configuration file")
    .option("--role <role>", "viewer | operator | admin (required but for the first user, who is an admin)")
    .option("--replace", "set a new password for an existing user (and end their sessions)", false)
    .action(async (name: string, options: { config?: string; replace: boolean; role?: string }) =>
      setExitCode(
        await userAddCommand(
          name,
          { config: configOf(options), replace: options.replace, role: options.role },
          process.stdin,
          env,
          output,
        ),
      ),
    );
  user
    .command("list")
    .description("list dashboard users: role, created, last sign-in (never a password)")
    .option("-c, --config <file>", "configuration file")
    .action(async (options: { config?: string }) =>
      setExitCode(await userAdminCommand("list", {}, { config: configOf(options) }, env, output)),
    );
  user
    .command("remove")
    .description("remove a dashboard user and end their sessions (not the last admin)")
    .argument("<name>", "the user")
    .option("-c, --config <file>", "configuration file")
    .action(async (name: string, options: { config?: string }) =>
      setExitCode(await userAdminCommand("remove", { name }, { config: configOf(options) }, env, output)),
    );
  user
    .command("role")
    .description("give a dashboard user another role (the last admin keeps theirs)")
    .argument("<name>", "the user")
    .argument("<role>", "viewer | operator | admin")
    .option("-c, --config <file>", "configuration file")
    .action(async (name: string, role: string, options: { config?: string }) =>
      setExitCode(await userAdminCommand("role", { name, role }, { config: configOf(options) }, env, output)),
    );

  const integration = central
    .command("integration")
    .description("tokens of the integration API a studio's systems post invoices and payments to");
  integration
    .command("add")
    .description("make a token for an integration and print it (once)")
    .argument("<name>", "2–64 lowercase letters, digits, . _ -")
    .option("-c, --config <file>", "configuration file")
    .action(async (name: string, options: { config?: string }) =>
      setExitCode(await integrationCommand("add", name, { config: configOf(options) }, env, output)),
    );
  integration
    .command("revoke")
    .description("revoke an integration's token at once")
    .argument("<name>", "the integration")
    .option("-c, --config <file>", "configuration file")
    .action(async (name: string, options: { config?: string }) =>
      setExitCode(await integrationCommand("revoke", name, { config: configOf(options) }, env, output)),
    );
  integration
    .command("list")
    .description("list integrations: created, revoked, last used (never their tokens)")
    .option("-c, --config <file>", "configuration file")
    .action(async (options: { config?: string }) =>
      setExitCode(await integrationCommand("list", null, { config: configOf(options) }, env, output)),
    );

  central
    .command("device-key")
    .description("kiosks' device keys, to which central seals the secrets it delivers")
    .command("set")
    .description("record a kiosk's device public key (provision-device's {deviceId}.device-key.pub)")
    .argument("<deviceId>", "the kiosk")
    .argument("<file>", "its device public key (PEM)")
    .option("-c, --config <file>", "configuration file")
    .action(async (deviceId: string, file: string, options: { config?: string }) =>
      setExitCode(await deviceKeySetCommand(deviceId, file, { config: configOf(options) }, env, output)),
    );

  const placement = central
    .command("placement")
    .description("a kiosk's studio and tags, by which the dashboard lists and groups kiosks");
  placement
    .command("set")
    .description("set a kiosk's studio and tags (replacing what it had)")
    .argument("<deviceId>", "the kiosk")
    .option("--studio <name>", "its studio (none if left out)")
    .option("--tag <tag>", "a tag (repeatable)", (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option("-c, --config <file>", "configuration file")
    .action(async (deviceId: string, options: { studio?: string; tag?: string[]; config?: string }) =>
      setExitCode(
        await placementCommand(
          {
            deviceId,
            ...(options.studio !== undefined ? { studio: options.studio } : {}),
            tags: options.tag ?? [],
          },
          { config: configOf(options) },
          env,
          output,
        ),
      ),
    );
  placement
    .command("load")
    .description("set a kiosk's studio and tags from provision-device's {deviceId}.placement.json")
    .argument("<file>", "the placement file")
    .option("-c, --config <file>", "configuration file")
    .action(async (file: string, options: { config?: string }) =>
      setExitCode(await placementCommand({ file }, { config: configOf(options) }, env, output)),
    );

  const keys = central.command("keys").description("the Ed25519 key central signs commands with");
  keys
    .command("generate")
    .description(
      "write a new private key (mode 600) and print its public key for every kiosk's remote.commandPublicKey",
    )
    .option("-c, --config <file>", "configuration file (the key goes to central.dashboard.commandKeyFile)")
    .option("--out <file>", "write the private key here instead")
    .option("--force", "replace an existing key (every kiosk must then get the new public key)", false)
    .action((options: { config?: string; out?: string; force: boolean }) => {
      const path = keyPath({ out: options.out, config: configOf(options) }, env);
      const pem = generateCommandKey(path, { force: options.force });
      output.err(
        `private key written to ${path}; put this public key in every kiosk's remote.commandPublicKey:`,
      );
      output.out(pem.trimEnd());
      setExitCode(0);
    });
  keys
    .command("public")
    .description("print the public key of the configured private key")
    .option("-c, --config <file>", "configuration file")
    .option("--out <file>", "the private key file (default: central.dashboard.commandKeyFile)")
    .action((options: { config?: string; out?: string }) => {
      const path = keyPath({ out: options.out, config: configOf(options) }, env);
      output.out(publicKeyPem(readCommandKey(path)).trimEnd());
      setExitCode(0);
    });
}
