/**
 * `npm run bench -- NAME [args]`: runs bench/NAME.ts, whose default export measures the kiosk beside
 * its baseline in the same run, prints its tables, and returns the result printed here as the last
 * line (JSON).
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Bench } from "./lib/result.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- NAME\nbenchmarks: ${available.join(", ")}\n`);
  process.exit(2);
}
const module = (await import(`./${name}.ts`)) as { default: Bench };
const result = await module.default(args);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.pass ? 0 : 1);
