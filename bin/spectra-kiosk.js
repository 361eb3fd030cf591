#!/usr/bin/env node
// With --verbose, errors show their stack: map it through the bundle's source maps (loaded only then,
// and only if turned on before the bundle is).
if (process.argv.includes("--verbose")) process.setSourceMapsEnabled(true);
const { main } = await import("../dist/kiosk/spectra-kiosk.js");

process.exitCode = await main(process.argv);
