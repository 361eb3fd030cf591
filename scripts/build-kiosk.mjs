// Bundles the kiosk process (tsc's dist/app/main.js and the packages it imports) into dist/kiosk: one
// minified ES module for `spectra-kiosk` and a chunk per part loaded on demand (central, the embedded
// broker, the processors' simulators). One module instead of ~400 files: V8 keeps every script's source in
// the heap, so the minified bundle keeps the kiosk's resident memory ~6 MB lower and starts it faster.
// Run by `npm run build` after tsc.
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const out = "dist/kiosk";
const { kiosk } = JSON.parse(readFileSync("package.json", "utf8"));
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { "spectra-kiosk": "dist/app/main.js" },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  // Stack traces in logs still name functions; with --verbose, bin/spectra-kiosk.js maps them back
  // through these source maps (to tsc's dist/, which maps on to src/).
  keepNames: true,
  sourcemap: "linked",
  outdir: out,
  // Flat, so every module of the bundle is two folders below the package root (src/core/package-root.ts).
  chunkNames: "[name]-[hash]",
  legalComments: "none",
  logLevel: "error",
  // Native addons (package.json "kiosk".runtime: a kiosk release carries them in node_modules) and
  // what only central and the laptop load ("kiosk".centralOnly: never in a kiosk release) stay out.
  external: [...kiosk.runtime, ...kiosk.centralOnly],
  // The CommonJS packages in the bundle (mqtt, pino, commander, …) call require for Node's modules.
  banner: {
    js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
  },
});
