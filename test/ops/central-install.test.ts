import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/ports.js";
import { tempDir } from "../helpers/store.js";

const SCRIPTS = fileURLToPath(new URL("../../scripts/", import.meta.url));
const work = tempDir("spectra-central-install-");
afterAll(() => work.remove());

function run(script: string, args: string[]) {
  const result = spawnSync("bash", [join(SCRIPTS, script), ...args], { encoding: "utf8" });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe("scripts/make-broker-certs.sh", () => {
  const dir = join(work.path, "certs");

  it("makes a CA and a broker certificate for the names given, which the CA verifies", () => {
    const made = run("make-broker-certs.sh", [
      "--dir",
      dir,
      "--host",
      "broker.lakeside.example",
      "--host",
      "127.0.0.1",
    ]);
    expect(made.code).toBe(0);
    expect(made.out).toContain("do: make the fleet's CA");
    const verify = spawnSync("openssl", ["verify", "-CAfile", join(dir, "ca.crt"), join(dir, "broker.crt")], {
      encoding: "utf8",
    });
    expect(verify.stdout).toContain("OK");
    const san = spawnSync(
      "openssl",
      ["x509", "-in", join(dir, "broker.crt"), "-noout", "-ext", "subjectAltName"],
      { encoding: "utf8" },
    );
    expect(san.stdout).toContain("DNS:broker.lakeside.example");
    expect(san.stdout).toContain("IP Address:127.0.0.1");
  });

  it("keeps the CA and the certificate the second time, and makes a new certificate for new names only", () => {
    const again = run("make-broker-certs.sh", [
      "--dir",
      dir,
      "--host",
      "broker.lakeside.example",
      "--host",
      "127.0.0.1",
    ]);
    expect(again.out).toContain("ok: CA");
    expect(again.out).toContain("ok: broker certificate");
    const renamed = run("make-broker-certs.sh", ["--dir", dir, "--host", "mqtt.lakeside.example"]);
    expect(renamed.out).toContain("ok: CA");
    expect(renamed.out).toContain("do: make the broker's certificate for DNS:mqtt.lakeside.example");
    expect(run("make-broker-certs.sh", ["--dir", dir]).code).toBe(2);
    expect(run("make-broker-certs.sh", ["--dir", dir, "--host", "bad name;rm"]).code).toBe(2);
  });
});

describe("scripts/central-backup.sh", () => {
  const database = `spectra_backup_test_${process.pid}`;
  const admin = "postgres://postgres@127.0.0.1:5432/postgres";
  afterAll(async () => {
    const client = new pg.Client(admin);
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database}`);
    await client.end();
  });

  it("dumps central's database and copies the command key; old backups go", async () => {
    const client = new pg.Client(admin);
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    const db = new pg.Client(`postgres://postgres@127.0.0.1:5432/${database}`);
    await db.connect();
    await db.query("CREATE TABLE payment_records (id text PRIMARY KEY, amount_minor bigint)");
    await db.query("INSERT INTO payment_records VALUES ('r1', 25000)");
    await db.end();
    const key = join(work.path, "command-key.pem");
    writeFileSync(key, "-----BEGIN PRIVATE KEY-----\ntest\n-----END PRIVATE KEY-----\n");
    const config = join(work.path, "central.json");
    writeFileSync(
      config,
      JSON.stringify({
        central: {
          database: { mode: "postgres", url: `postgres://postgres@127.0.0.1:5432/${database}` },
          dashboard: { commandKeyFile: key },
        },
      }),
    );
    const to = join(work.path, "backups");
    const stale = join(to, "central-2020-01-01T000000Z.dump");
    spawnSync("mkdir", ["-p", to]);
    writeFileSync(stale, "old");
    utimesSync(stale, new Date("2020-01-01"), new Date("2020-01-01"));

    const backup = run("central-backup.sh", ["--config", config, "--to", to, "--keep-days", "14"]);
    expect(backup.err).toBe("");
    expect(backup.code).toBe(0);
    const files = readdirSync(to);
    const dump = files.find((file) => file.endsWith(".dump") && file !== "central-2020-01-01T000000Z.dump");
    expect(files.some((file) => file.startsWith("command-key-") && file.endsWith(".pem"))).toBe(true);
    expect(existsSync(stale)).toBe(false);
    const list = spawnSync("pg_restore", ["--list", join(to, dump ?? "missing")], { encoding: "utf8" });
    expect(list.stdout).toContain("TABLE DATA public payment_records");
  });
});

describe("config/central.example.json", () => {
  it("is a valid configuration for central on PostgreSQL with the dashboard", () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const check = spawnSync(
      "node",
      ["bin/spectra-kiosk.js", "config", "check", "--config", "config/central.example.json"],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(check.stdout).toContain("valid");
    expect(check.status).toBe(0);
  });
});

/** A private PostgreSQL (initdb in a scratch folder, its own port): the script edits pg_hba.conf. */
describe("scripts/setup-postgres.sh", () => {
  const bin = `/usr/lib/postgresql/${readdirSync("/usr/lib/postgresql").sort().pop()}/bin`;
  // initdb and the server run as the postgres user: a folder it may enter (a scratch folder is 0700).
  const parent = mkdtempSync(join(tmpdir(), "spectra-pg-"));
  chmodSync(parent, 0o711);
  const data = join(parent, "data");
  let port = 0;
  const asPostgres = (command: string, args: string[]) =>
    spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" });
  afterAll(() => {
    asPostgres(`${bin}/pg_ctl`, ["-D", data, "-m", "immediate", "stop"]);
    rmSync(parent, { recursive: true, force: true });
  });

  it("creates the role and database, and lets only the role with its password in", async () => {
    port = await freePort();
    spawnSync("install", ["-d", "-o", "postgres", "-g", "postgres", data]);
    expect(asPostgres(`${bin}/initdb`, ["-D", data, "-A", "trust", "-U", "postgres"]).status).toBe(0);
    const started = asPostgres(`${bin}/pg_ctl`, [
      "-D",
      data,
      "-w",
      "-l",
      join(data, "log"),
      "-o",
      `-p ${port} -k ${data} -c listen_addresses=127.0.0.1`,
      "start",
    ]);
    expect(started.status).toBe(0);
    const passwordFile = join(work.path, "pg-password");
    const env = { ...process.env, SPECTRA_PSQL_ADMIN: `runuser -u postgres -- psql -h ${data} -p ${port}` };
    const setup = () =>
      spawnSync("bash", [join(SCRIPTS, "setup-postgres.sh"), "--password-file", passwordFile], {
        encoding: "utf8",
        env,
      });
    const first = setup();
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("do: create role spectra_central");
    expect(first.stdout).toContain("do: create database spectra owned by spectra_central");
    const password = readFileSync(passwordFile, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(24);

    const connect = async (secret: string | undefined) => {
      const client = new pg.Client({
        host: "127.0.0.1",
        port,
        user: "spectra_central",
        database: "spectra",
        password: secret,
      });
      try {
        await client.connect();
        return (await client.query("SELECT current_user AS who")).rows[0]?.who as string;
      } catch (error) {
        return (error as Error).message;
      } finally {
        await client.end().catch(() => {});
      }
    };
    expect(await connect(password)).toBe("spectra_central");
    expect(await connect("wrong")).toMatch(/password authentication failed/);

    const again = setup();
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("ok: role spectra_central");
    expect(again.stdout).toContain("ok: database spectra");
    expect(again.stdout).not.toMatch(/^do: (create|add)/m);
  });
});
