/**
 * `npm run bench -- authnet-sdk [sales]`: what Authorize.Net's official SDK would cost the kiosk's
 * memory, beside the kiosk's own client. Three processes with the Node flags and environment of
 * systemd/spectra-kiosk.service, one after another, each against the Authorize.Net simulator (TLS)
 * in this process: a bare Node (baseline), the kiosk's processor (dist/, node:https), and the SDK
 * (axios, winston) sending the same card-present sales. For each: resident memory once loaded (one
 * sale made) and after N sales. The kiosk's whole process is measured by `npm run bench -- ui
 * --authorize-net`; this bench says what choosing the SDK would add to it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAuthorizeNetSimulator } from "../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { kioskUnitProcess } from "../test/helpers/kiosk-unit.js";
import { sampleProcess } from "./lib/proc-stats.js";
import type { Bench } from "./lib/result.js";
import { round } from "./lib/stats.js";

const CHILD = fileURLToPath(new URL("./lib/authnet-client-child.mjs", import.meta.url));
const MB = 1024 * 1024;
const VARIANTS = ["bare", "kiosk", "sdk"] as const;
type Variant = (typeof VARIANTS)[number];

function nextLine(child: ChildProcess, expected: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (seen.includes(`${expected}\n`)) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the ${expected} child exited (${code})`)));
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

const bench: Bench = async (args) => {
  const sales = Number(args.find((arg) => !arg.startsWith("--")) ?? 1000);
  const simulator = await startAuthorizeNetSimulator();
  const dir = mkdtempSync(join(tmpdir(), "spectra-authnet-sdk-"));
  const caFile = join(dir, "simulator.pem");
  writeFileSync(caFile, simulator.ca ?? "");
  const unit = kioskUnitProcess();
  const results: Record<Variant, { loaded: number; after: number }[]> = { bare: [], kiosk: [], sdk: [] };
  try {
    for (let round_ = 0; round_ < 2; round_ += 1) {
      for (const variant of VARIANTS) {
        const child = spawn(
          process.execPath,
          [
            ...unit.nodeArgs,
            CHILD,
            variant,
            simulator.endpoint,
            simulator.hostedFormUrl,
            simulator.apiLoginId,
            simulator.transactionKey,
            String(sales),
          ],
          {
            env: { ...process.env, ...unit.env, NODE_EXTRA_CA_CERTS: caFile },
            stdio: ["pipe", "pipe", "inherit"],
          },
        );
        await nextLine(child, "loaded");
        await settle();
        const loaded = sampleProcess(child.pid ?? 0).rssBytes;
        const done = nextLine(child, "done");
        child.stdin?.write("\n");
        await done;
        await settle();
        const after = sampleProcess(child.pid ?? 0).rssBytes;
        child.stdin?.write("\n");
        await new Promise((resolve) => child.once("exit", resolve));
        results[variant].push({ loaded, after });
      }
    }
  } finally {
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const mb = (bytes: number) => round(bytes / MB, 1);
  process.stdout.write(`\nresident memory (MB), node ${unit.nodeArgs.join(" ")}, two rounds each\n`);
  process.stdout.write(`${"".padEnd(40)} ${"loaded".padStart(14)} ${`after ${sales}`.padStart(14)}\n`);
  for (const variant of VARIANTS) {
    const label = {
      bare: "bare Node",
      kiosk: "kiosk's processor (node:https)",
      sdk: "authorizenet SDK (axios)",
    }[variant];
    const runs = results[variant];
    process.stdout.write(
      `${label.padEnd(40)} ${runs
        .map((run) => mb(run.loaded))
        .join(" / ")
        .padStart(14)} ${runs
        .map((run) => mb(run.after))
        .join(" / ")
        .padStart(14)}\n`,
    );
  }
  const worst = (variant: Variant) => Math.max(...results[variant].map((run) => run.after));
  const extra = worst("sdk") - worst("kiosk");
  process.stdout.write(`the SDK adds ${mb(extra)} MB over the kiosk's processor after ${sales} sales\n`);
  return {
    bench: "authnet-sdk",
    metric: "sdk_rss_over_kiosk_client",
    value: mb(extra),
    unit: "MB",
    target: "> 0 (the kiosk's node:https client is the lighter choice)",
    pass: extra > 0,
  };
};

export default bench;
