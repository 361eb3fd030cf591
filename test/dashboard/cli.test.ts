import { spawnSync } from "node:child_process";
import { sign, verify } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/central/dashboard/auth/password.js";
import { commandPrivateKey, commandPublicKey } from "../../src/sync/protocol/command-signature.js";
import { rawTestConfig } from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

const BIN = fileURLToPath(new URL("../../bin/spectra-kiosk.js", import.meta.url));

describe("spectra-kiosk central keys / user (command line)", () => {
  const dir = scratchDir();
  let database: TestDatabase;
  let config: string;

  const run = (args: string[], input = "") => {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      input,
      encoding: "utf8",
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? "" },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    config = join(dir.path, "central.json");
    const raw = rawTestConfig({ deviceId: "central-cli", dataDir: join(dir.path, "data") });
    writeFileSync(
      config,
      JSON.stringify({
        ...raw,
        central: {
          enabled: false,
          database: { mode: "postgres", url: database.url },
          dashboard: { commandKeyFile: join(dir.path, "keys", "command-key.pem") },
        },
      }),
    );
  });

  afterAll(async () => {
    await database?.drop();
    dir.remove();
  });

  it("keys generate writes the private key (mode 600) and prints a public key that verifies its signatures", () => {
    const result = run(["central", "keys", "generate", "--config", config]);
    expect(result.code, result.stderr).toBe(0);
    const path = join(dir.path, "keys", "command-key.pem");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(result.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    expect(result.stdout).not.toContain("PRIVATE");
    expect(result.stderr).toContain("remote.commandPublicKey");
    const message = Buffer.from("lock kiosk-a");
    const signature = sign(null, message, commandPrivateKey(readFileSync(path, "utf8")));
    expect(verify(null, message, commandPublicKey(result.stdout), signature)).toBe(true);
    expect(run(["central", "keys", "public", "--config", config]).stdout).toBe(result.stdout);

    // Every kiosk trusts it: it is never replaced by accident.
    const again = run(["central", "keys", "generate", "--config", config]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("[DASHBOARD_KEY_EXISTS]");
    expect(readFileSync(path, "utf8")).toContain("PRIVATE KEY");
    const forced = run(["central", "keys", "generate", "--config", config, "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).not.toBe(result.stdout);
  });

  it("user add reads the password from standard input and stores only its scrypt hash", async () => {
    const password = "a long enough password";
    const added = run(["central", "user", "add", "ops@studio", "--config", config], `${password}\n`);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain("dashboard user ops@studio added");
    const [row] = (
      await database.pool.query("SELECT password_hash FROM dashboard_users WHERE name = 'ops@studio'")
    ).rows as { password_hash: string }[];
    expect(row?.password_hash).toMatch(/^scrypt\$/);
    expect(row?.password_hash).not.toContain(password);
    expect(await verifyPassword(password, row?.password_hash ?? "")).toBe(true);

    const twice = run(["central", "user", "add", "ops@studio", "--config", config], `${password}\n`);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("[DASHBOARD_USER_EXISTS]");
    const replaced = run(
      ["central", "user", "add", "ops@studio", "--replace", "--config", config],
      "another long password\n",
    );
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain("password replaced");

    const weak = run(["central", "user", "add", "clerk", "--config", config], "short\n");
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain("[DASHBOARD_PASSWORD_WEAK]");
    const badName = run(["central", "user", "add", "Bad Name", "--config", config], `${password}\n`);
    expect(badName.stderr).toContain("[DASHBOARD_USER_INVALID]");
    expect((await database.pool.query("SELECT name, role FROM dashboard_users ORDER BY name")).rows).toEqual([
      { name: "ops@studio", role: "admin" },
    ]);
  });

  it("user add takes a role (required after the first user), user list shows roles, user role and user remove keep the last admin", async () => {
    const password = "a long enough password";
    const add = (name: string, ...more: string[]) =>
      run(["central", "user", "add", name, ...more, "--config", config], `${password}\n`);
    // The first user (previous test) was an admin by default; nobody else is, by omission.
    const noRole = add("clerk@studio");
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toContain("[CLI_USAGE]");
    expect(add("clerk@studio", "--role", "superuser").stderr).toContain("[DASHBOARD_ROLE_INVALID]");
    expect(add("clerk@studio", "--role", "viewer").stdout).toContain(
      "dashboard user clerk@studio added (viewer)",
    );
    expect(add("shift@studio", "--role", "operator").code).toBe(0);

    const list = run(["central", "user", "list", "--config", config]);
    expect(list.code, list.stderr).toBe(0);
    const rows = list.stdout
      .trim()
      .split("\n")
      .map((line) => line.split("\t").slice(0, 2));
    expect(rows).toEqual([
      ["clerk@studio", "viewer"],
      ["ops@studio", "admin"],
      ["shift@studio", "operator"],
    ]);
    expect(list.stdout).toContain("last sign-in never");
    expect(list.stdout).not.toContain("scrypt");

    const lastAdmin = run(["central", "user", "role", "ops@studio", "operator", "--config", config]);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.stderr).toContain("[DASHBOARD_LAST_ADMIN]");
    expect(run(["central", "user", "remove", "ops@studio", "--config", config]).stderr).toContain(
      "[DASHBOARD_LAST_ADMIN]",
    );
    const promoted = run(["central", "user", "role", "shift@studio", "admin", "--config", config]);
    expect(promoted.stdout).toContain("dashboard user shift@studio: operator → admin");
    const removed = run(["central", "user", "remove", "ops@studio", "--config", config]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("dashboard user ops@studio (admin) removed");
    expect(run(["central", "user", "remove", "ops@studio", "--config", config]).stderr).toContain(
      "[DASHBOARD_USER_UNKNOWN]",
    );
    expect((await database.pool.query("SELECT name, role FROM dashboard_users ORDER BY name")).rows).toEqual([
      { name: "clerk@studio", role: "viewer" },
      { name: "shift@studio", role: "admin" },
    ]);
    const audit = (
      await database.pool.query(
        "SELECT user_name, action, detail->>'user' AS who FROM dashboard_audit WHERE action LIKE 'user-%' ORDER BY id",
      )
    ).rows;
    expect(audit).toEqual([
      { user_name: "cli:unknown", action: "user-added", who: "ops@studio" },
      { user_name: "cli:unknown", action: "user-added", who: "clerk@studio" },
      { user_name: "cli:unknown", action: "user-added", who: "shift@studio" },
      { user_name: "cli:unknown", action: "user-role", who: "shift@studio" },
      { user_name: "cli:unknown", action: "user-removed", who: "ops@studio" },
    ]);
  });
  it("placement set / load: a kiosk's studio and tags for the dashboard's groups, checked and audited", async () => {
    const set = run([
      "central",
      "placement",
      "set",
      "kiosk-lake-07",
      "--studio",
      "Lakeside Portraits",
      "--tag",
      "Mall",
      "--tag",
      "front-desk",
      "--config",
      config,
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("kiosk-lake-07: studio Lakeside Portraits, tags front-desk, mall");
    const file = join(dir.path, "kiosk-lake-08.placement.json");
    writeFileSync(
      file,
      JSON.stringify({ deviceId: "kiosk-lake-08", studio: "Harbor Studio", tags: ["mall"] }),
    );
    const loaded = run(["central", "placement", "load", file, "--config", config]);
    expect(loaded.code, loaded.stderr).toBe(0);
    const bad = run(["central", "placement", "set", "kiosk-lake-07", "--tag", "no_way", "--config", config]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("[DASHBOARD_GROUP_INVALID]");
    writeFileSync(file, "{ not json");
    const garbage = run(["central", "placement", "load", file, "--config", config]);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain("[CLI_USAGE]");
    const pool = database.pool;
    {
      const rows = (
        await pool.query("SELECT device_id, studio, tags FROM kiosk_placements ORDER BY device_id")
      ).rows;
      expect(rows).toEqual([
        { device_id: "kiosk-lake-07", studio: "Lakeside Portraits", tags: ["front-desk", "mall"] },
        { device_id: "kiosk-lake-08", studio: "Harbor Studio", tags: ["mall"] },
      ]);
      const audit = (
        await pool.query("SELECT device_id FROM dashboard_audit WHERE action = 'placement' ORDER BY id")
      ).rows;
      expect(audit).toEqual([{ device_id: "kiosk-lake-07" }, { device_id: "kiosk-lake-08" }]);
    }
  });
});
