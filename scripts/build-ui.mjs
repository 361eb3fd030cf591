// Builds the touchscreen's front end (src/ui/web) into dist/ui/web: one minified ES module bundle,
// its stylesheet and index.html. Run by `npm run build` after tsc.
import { copyFileSync, mkdirSync } from "node:fs";
import { build } from "esbuild";

const out = "dist/ui/web";
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: "src/ui/web/main.tsx" },
  bundle: true,
  format: "esm",
  target: ["chrome100"],
  minify: true,
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: out,
  legalComments: "none",
  logLevel: "warning",
});
await build({
  entryPoints: { app: "src/ui/web/styles.css" },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: "warning",
});
copyFileSync("src/ui/web/index.html", `${out}/index.html`);
