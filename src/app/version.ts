import { readFileSync } from "node:fs";

/** The package's version, as telemetry reports it. Read once, from package.json beside src/ and dist/. */
export const SOFTWARE_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
