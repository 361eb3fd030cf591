// The arm64 check's steps inside the emulated root (scripts/arm64-check.sh prepares the root and runs
// this on the host with tsx): make two arm64 releases, install the first with install-pi.sh for real,
// verify the native addons and the units under emulation, start the installed kiosk with its
// installed configuration, take a cash payment through the screen's WebSocket, `db check`, then apply
// a second release that never reports healthy and see it rolled back with the database restored.
// Ends with one JSON line of figures; exits 1 at the first step that fails.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { named, ScreenClient } from "../../bench/lib/screen-client.js";
import { DEFAULT_CONFIG_PATH } from "../../src/config/load.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { invoiceSchema } from "../../src/payments/invoice.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { TestReleases } from "../../test/helpers/releases.js";

const root = process.argv[2] ?? "";
if (!root) throw new Error("usage: check.ts ROOT");
const started = performance.now();
const work = join(tmpdir(), `spectra-arm64-releases-${process.pid}`);
const figures: Record<string, unknown> = {};
const inRoot = (path: string) => join(root, path);
const say = (line: string) => process.stdout.write(`arm64-check: ${line}\n`);

function fail(step: string, detail: string): never {
  rmSync(work, { recursive: true, force: true });
  process.stdout.write(`arm64-check: FAILED at ${step}: ${detail}\n`);
  process.stdout.write(`${JSON.stringify({ check: "arm64", pass: false, failedAt: step, ...figures })}\n`);
  process.exit(1);
}

/** A command inside the root, under emulation. */
function chroot(step: string, args: string[], options: { user?: string; allowFail?: boolean } = {}) {
  const userspec = options.user ? [`--userspec=${options.user}:${options.user}`] : [];
  const result = spawnSync("chroot", [...userspec, root, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0 && !options.allowFail) {
    fail(step, `exit ${result.status}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  }
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, entry) => total + sizeOf(join(path, entry)), 0);
}

async function health(port: number): Promise<Record<string, unknown> | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function until(step: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const from = performance.now();
  while (!(await check())) {
    if (performance.now() - from > timeoutMs) fail(step, `not within ${timeoutMs} ms`);
    await sleep(100);
  }
  return performance.now() - from;
}

// 1. Two arm64 releases signed by a fresh release key: a good one, and one that never reports healthy.
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
const releases = new TestReleases(work, "arm64");
const firstVersion = manifest.version;
const brokenVersion = `${manifest.version}-rollback-check`;
let phase = performance.now();
const first = releases.make(firstVersion);
const broken = releases.makeBroken(brokenVersion);
figures.releaseSeconds = Number(((performance.now() - phase) / 1000).toFixed(1));
figures.packedBytes = statSync(first).size;
say(`releases ${firstVersion} and ${brokenVersion} for arm64 made (${figures.releaseSeconds} s)`);

// 2. Into the root: the releases, the release key, the device's configuration.
const drop = inRoot("root/spectra");
mkdirSync(drop, { recursive: true });
for (const file of [first, broken]) {
  for (const suffix of ["", ".sha256", ".sha256.sig"])
    copyFileSync(`${file}${suffix}`, join(drop, `${basename(file)}${suffix}`));
}
copyFileSync(releases.publicKey, join(drop, "release-key.pub"));
const port = 28_000 + (process.pid % 3000);
const base = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as Record<string, unknown>;
writeFileSync(
  join(drop, "kiosk.json"),
  JSON.stringify({
    ...base,
    deviceId: "kiosk-arm64-check",
    dataDir: "/var/lib/spectra-kiosk",
    ui: { ...(base.ui as object), host: "127.0.0.1", port },
    sync: { enabled: false },
    central: { enabled: false },
    processor: { kind: "manual" },
    drivers: {
      ...(base.drivers as object),
      gpio: { ...((base.drivers as { gpio: object }).gpio ?? {}), mode: "auto" },
    },
    log: { level: "info" },
  }),
);
execFileSync("sh", [
  "-c",
  `tar -xzf "${first}" -O --wildcards '*/scripts/install-pi.sh' > "${join(drop, "install-pi.sh")}"`,
]);

// 3. install-pi.sh for real, twice: the second run finds nothing to do.
phase = performance.now();
const args = [
  "bash",
  "/root/spectra/install-pi.sh",
  "--release",
  `/root/spectra/${basename(first)}`,
  "--release-key",
  "/root/spectra/release-key.pub",
  "--config",
  "/root/spectra/kiosk.json",
];
const install = chroot("install-pi.sh", args);
figures.installSeconds = Number(((performance.now() - phase) / 1000).toFixed(1));
say(`install-pi.sh: ${install.out.trim().split("\n").pop()} (${figures.installSeconds} s)`);
for (const line of install.out.split("\n")) if (/^(do|ok|note|skipped):/.test(line)) say(`  ${line}`);
const again = chroot("install-pi.sh again", args);
if (!again.out.includes("nothing to do")) fail("install-pi.sh again", again.out);
say("install-pi.sh again: nothing to do");
figures.node = chroot("node", ["/usr/bin/node", "--version"]).out.trim();
figures.installedBytes = sizeOf(inRoot(`opt/spectra-kiosk/releases/${firstVersion}`));

// 4. The native addons, cross-compiled, loaded under emulation; the units verified.
const addons = chroot("native addons", [
  "sh",
  "-c",
  `cd /opt/spectra-kiosk/current && /usr/bin/node -e "const D=require('better-sqlite3'); const db=new D(':memory:'); require('unix-dgram'); require('epoll'); require('@serialport/bindings-cpp'); console.log(process.arch, db.prepare('select sqlite_version() v').get().v)"`,
]);
say(`native addons load under emulation: ${addons.out.trim()}`);
const units = [
  "spectra-kiosk.service",
  "spectra-screen.service",
  "spectra-kiosk-update.service",
  "spectra-kiosk-update.path",
];
const verify = chroot(
  "systemd-analyze verify",
  ["systemd-analyze", "verify", ...units.map((unit) => `/etc/systemd/system/${unit}`)],
  {
    allowFail: true,
  },
);
const verifyProblems = `${verify.out}\n${verify.err}`
  .split("\n")
  .filter((line) => line.trim() && /spectra/.test(line));
if (verify.code !== 0 || verifyProblems.length > 0)
  fail("systemd-analyze verify", `${verify.out}\n${verify.err}`);
say(`systemd-analyze verify: ${units.join(", ")} clean`);

// 5. The installed kiosk with its installed configuration, as its unit runs it (user, flags, state dir).
const unit = readFileSync(inRoot("etc/systemd/system/spectra-kiosk.service"), "utf8");
const execStart = (/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? "").split(" ");
const state = inRoot("var/lib/spectra-kiosk");
chroot("state directory", [
  "sh",
  "-c",
  "install -d -m 0750 -o spectra-kiosk -g spectra-kiosk /var/lib/spectra-kiosk /var/lib/spectra-kiosk/updates",
]);
function startKiosk(): ChildProcess {
  const log = openSync(join(state, "updates", "kiosk.log"), "a");
  const child = spawn(
    "chroot",
    ["--userspec=spectra-kiosk:spectra-kiosk", root, "env", "NODE_ENV=production", ...execStart],
    {
      detached: true,
      stdio: ["ignore", log, log],
    },
  );
  writeFileSync(join(state, "updates", "kiosk.pid"), String(child.pid));
  return child;
}
phase = performance.now();
startKiosk();
await until("the kiosk serves its screen", async () => (await health(port))?.inService === true, 180_000);
figures.startSecondsEmulated = Number(((performance.now() - phase) / 1000).toFixed(1));
say(`kiosk ${firstVersion} in service, screen served in ${figures.startSecondsEmulated} s (emulated)`);

// 6. A cash payment through the screen's WebSocket: staff sign-in, the invoice, cash, saved.
const store = openKioskStore({
  path: join(state, "kiosk.sqlite"),
  deviceId: "kiosk-arm64-check",
  clock: systemClock,
  logger: createMemoryLogger(),
});
store.invoices.upsertInvoice(
  invoiceSchema.parse({
    id: "inv-arm64",
    number: "A-1001",
    client: { id: "cl-arm64", firstName: "Ada", lastName: "Arm" },
    sessionId: null,
    lines: [{ description: "Portrait session", quantity: 1, amountMinor: 25_000 }],
    totalMinor: 25_000,
    currency: "USD",
    version: 1,
  }),
  new Date().toISOString(),
);
store.close();
phase = performance.now();
const client = await ScreenClient.open(`http://127.0.0.1:${port}/`);
await client.step("staff", undefined, named("staff.sign-in"));
for (const key of "1234") client.touch("key", key);
await client.step("submit", undefined, named("staff.home"));
await client.step("new-payment", undefined, named("staff.invoice-lookup"));
for (const key of "A-1001") client.touch("key", key);
await client.step("find", undefined, named("staff.payment-form"));
client.touch("method", "cash");
client.touch("quick-cash", "25000");
await client.step("save", undefined, named("staff.saved"));
client.close();
figures.paymentMs = Math.round(performance.now() - phase);
const records = () => {
  const db = new Database(join(state, "kiosk.sqlite"), { readonly: true });
  try {
    return db.prepare("SELECT kind, amount_minor, status FROM payment_records").all() as Record<
      string,
      unknown
    >[];
  } finally {
    db.close();
  }
};
const paid = records();
if (paid.length !== 1 || paid[0]?.amount_minor !== 25_000 || paid[0]?.status !== "completed")
  fail("cash payment", JSON.stringify(paid));
say(`cash payment of $250.00 saved through the screen's WebSocket (${figures.paymentMs} ms)`);
const dbCheck = chroot(
  "db check",
  [
    "/usr/bin/node",
    "/opt/spectra-kiosk/current/bin/spectra-kiosk.js",
    "db",
    "check",
    "--config",
    "/etc/spectra-kiosk/kiosk.json",
  ],
  { user: "spectra-kiosk" },
);
say(`db check: ${dbCheck.out.trim().split("\n").pop()}`);

// 7. A second release that never reports healthy: applied, rolled back, the database restored.
phase = performance.now();
const apply = chroot(
  "release apply",
  [
    "/usr/bin/node",
    "/opt/spectra-kiosk/current/bin/spectra-kiosk.js",
    "release",
    "apply",
    `/root/spectra/${basename(broken)}`,
    "--config",
    "/etc/spectra-kiosk/kiosk.json",
    "--service",
    "process",
    "--within",
    "60",
    "--steady",
    "5",
  ],
  { allowFail: true },
);
const outcome = JSON.parse(apply.out.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
figures.rollbackSeconds = Number(((performance.now() - phase) / 1000).toFixed(1));
for (const line of apply.out.trim().split("\n").slice(0, -1)) say(`  ${line}`);
if (apply.code !== 1 || outcome.state !== "rolled-back" || outcome.databaseRestored !== true) {
  fail("rollback", `${apply.out}\n${apply.err}`);
}
const current = chroot("release status", [
  "/usr/bin/node",
  "/opt/spectra-kiosk/current/bin/spectra-kiosk.js",
  "release",
  "status",
]).out;
if (JSON.parse(current).current !== firstVersion)
  fail("rollback", `current is not ${firstVersion}: ${current}`);
await until(
  "the first release serves again",
  async () => (await health(port))?.version === firstVersion,
  180_000,
);
const after = records();
if (JSON.stringify(after) !== JSON.stringify(paid))
  fail("rollback", `records changed: ${JSON.stringify(after)}`);
chroot("db check after rollback", [
  "/usr/bin/node",
  "/opt/spectra-kiosk/current/bin/spectra-kiosk.js",
  "db",
  "check",
  "--config",
  "/etc/spectra-kiosk/kiosk.json",
]);
say(
  `${brokenVersion} rolled back (${outcome.reason}); database restored, ${firstVersion} serving, db check passes`,
);

rmSync(work, { recursive: true, force: true });
figures.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
process.stdout.write(`${JSON.stringify({ check: "arm64", pass: true, ...figures })}\n`);
process.exit(0);
