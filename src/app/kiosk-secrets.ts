import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";

/** Where the kiosk keeps its secrets: one file per secret, readable by its service user only. */
export const secretsDir = (dataDir: string): string => join(dataDir, "secrets");

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Reads one of the kiosk's secrets (a processor's key) from `{dataDir}/secrets/{name}`. A secret
 * that group or others could read is refused, not used: it may already have leaked, and the kiosk
 * must not go on with it as if it had not.
 */
export function readKioskSecret(dataDir: string, name: string): string {
  if (!NAME.test(name))
    throw new KioskError(
      ErrorCodes.CONFIG_SECRET_MISSING,
      "A secret's name is lowercase letters, digits and dashes.",
    );
  const file = join(secretsDir(dataDir), name);
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new KioskError(
      ErrorCodes.CONFIG_SECRET_MISSING,
      `The kiosk's secret "${name}" is missing: central delivers it with the desired configuration (or put it in ${file}, mode 0600).`,
      { name },
    );
  }
  if ((mode & 0o077) !== 0) {
    throw new KioskError(
      ErrorCodes.CONFIG_SECRET_EXPOSED,
      `The kiosk's secret "${name}" can be read by other users (mode ${(mode & 0o777).toString(8)}): revoke it at the processor, then deliver a new one.`,
      { name },
    );
  }
  const value = readFileSync(file, "utf8").trim();
  if (value === "")
    throw new KioskError(ErrorCodes.CONFIG_SECRET_MISSING, `The kiosk's secret "${name}" is empty.`, {
      name,
    });
  return value;
}
