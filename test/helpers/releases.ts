import { execFileSync, spawnSync } from "node:child_process";
import { createHash, createPrivateKey, sign } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Release files made for a test with its own key (scripts/release.mjs, from the built dist/). */
export class TestReleases {
  readonly key: string;
  readonly publicKey: string;

  constructor(
    readonly dir: string,
    readonly arch: string = process.arch,
  ) {
    mkdirSync(dir, { recursive: true });
    this.key = join(dir, "release.pem");
    this.publicKey = `${this.key}.pub`;
    execFileSync("node", ["scripts/release.mjs", "keygen", this.key], { cwd: ROOT, stdio: "ignore" });
  }

  /** A release of the checkout as `version`; returns the tarball's path. */
  make(version: string): string {
    const made = spawnSync(
      "node",
      [
        "scripts/release.mjs",
        "--key",
        this.key,
        "--out",
        this.dir,
        "--version",
        version,
        "--arch",
        this.arch,
      ],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    if (made.status !== 0) throw new Error(`release ${version} failed: ${made.stderr}`);
    return join(this.dir, `spectra-kiosk-${version}-linux-${this.arch}.tar.gz`);
  }

  /**
   * A release of `version` whose kiosk never reports healthy: it migrates the database one step
   * (a table and user_version + 1, as a real migration would) and then exits, signed like any other.
   */
  makeBroken(version: string): string {
    const good = this.make(version);
    const stage = join(this.dir, `.broken-${version}`);
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage);
    execFileSync("tar", ["-xzf", good, "-C", stage]);
    const top = join(stage, basename(good).replace(/\.tar\.gz$/, ""));
    writeFileSync(
      join(top, "bin", "spectra-kiosk.js"),
      `#!/usr/bin/env node
// A broken release for the rollback test: migrates the database, then dies at start.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
const require = createRequire(import.meta.url);
if (process.argv[2] === "start") {
  const config = JSON.parse(readFileSync(process.argv[process.argv.indexOf("--config") + 1], "utf8"));
  const Database = require("better-sqlite3");
  const db = new Database(join(config.dataDir, "kiosk.sqlite"));
  const version = db.pragma("user_version", { simple: true });
  db.exec("CREATE TABLE broken_release_migration (x INTEGER)");
  db.pragma(\`user_version = \${version + 1}\`);
  db.close();
  process.exit(3);
}
const { main } = await import("../dist/kiosk/spectra-kiosk.js");
process.exitCode = await main(process.argv);
`,
    );
    execFileSync("tar", ["-czf", good, "-C", stage, basename(top)]);
    rmSync(stage, { recursive: true, force: true });
    const sums = `${createHash("sha256").update(readFileSync(good)).digest("hex")}  ${basename(good)}\n`;
    writeFileSync(`${good}.sha256`, sums);
    const signature = sign(null, Buffer.from(sums), createPrivateKey(readFileSync(this.key)));
    writeFileSync(`${good}.sha256.sig`, `${signature.toString("base64")}\n`);
    return good;
  }
}
