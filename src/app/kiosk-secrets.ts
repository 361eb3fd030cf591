import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import { openSealedSecret, type SealedSecret } from "../core/sealed-secret.js";

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

/** The kiosk's own X25519 private key (PEM), made by provision-device: central seals secrets to it. */
export const DEVICE_KEY_SECRET = "device-key";

/**
 * Stores the secrets central delivered in a desired configuration, each sealed to this kiosk: all
 * are opened with the device key first (any that does not open refuses them all, and nothing is
 * written), then each is written to its file, mode 0600, fsync'd and renamed into place.
 */
export function storeDeliveredSecrets(
  dataDir: string,
  deviceId: string,
  secrets: Readonly<Record<string, SealedSecret>>,
): string[] {
  const names = Object.keys(secrets);
  if (names.length === 0) return [];
  let deviceKey: string;
  try {
    deviceKey = readKioskSecret(dataDir, DEVICE_KEY_SECRET);
  } catch (error) {
    throw new KioskError(
      ErrorCodes.REMOTE_SECRET_UNREADABLE,
      `Central sent secrets, but this kiosk has no device key to open them (${(error as KioskError).code ?? "unreadable"}): provision it with provision-device.`,
    );
  }
  const opened = names.map((name) => {
    if (!NAME.test(name) || name === DEVICE_KEY_SECRET) {
      throw new KioskError(
        ErrorCodes.REMOTE_SECRET_UNREADABLE,
        `"${name.slice(0, 64)}" is not a secret central may set.`,
      );
    }
    return { name, value: openSealedSecret(secrets[name] as SealedSecret, deviceKey, { deviceId, name }) };
  });
  const dir = secretsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const { name, value } of opened) {
    const file = join(dir, name);
    const temporary = `${file}.tmp`;
    const fd = openSync(temporary, "w", 0o600);
    try {
      writeSync(fd, value);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  }
  return names;
}
