import { readFileSync } from "node:fs";
import { packagePath } from "../core/package-root.js";

/** The package's version, as telemetry reports it. Read once, from the package's package.json. */
export const SOFTWARE_VERSION: string = (
  JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }
).version;
