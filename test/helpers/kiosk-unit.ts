import { readFileSync } from "node:fs";
import { packagePath } from "../../src/core/package-root.js";

const UNIT = packagePath("systemd", "spectra-kiosk.service");

/** How systemd/spectra-kiosk.service runs the kiosk: its Environment= lines and node's flags. */
export interface UnitProcess {
  readonly env: Record<string, string>;
  readonly nodeArgs: readonly string[];
}

/** The environment and node flags of the kiosk's systemd unit, to run a kiosk as production does. */
export function kioskUnitProcess(): UnitProcess {
  const unit = readFileSync(UNIT, "utf8");
  const env: Record<string, string> = {};
  for (const match of unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm))
    env[match[1] as string] = match[2] ?? "";
  const flags = /^ExecStart=\/usr\/bin\/node((?: --[^ ]+)*) /m.exec(unit)?.[1]?.trim() ?? "";
  return { env, nodeArgs: flags.split(" ").filter(Boolean) };
}
