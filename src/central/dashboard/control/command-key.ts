import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import { newCommandKeyPair } from "../../../sync/protocol/command-signature.js";

/** Reads central's Ed25519 private key; anything else at that path is a coded error. */
export function readCommandKey(path: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new KioskError(
      ErrorCodes.DASHBOARD_KEY_UNREADABLE,
      `Cannot read the command key ${path} (${reason}): run \`spectra-kiosk central keys generate\`.`,
      { path, reason },
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new KioskError(ErrorCodes.DASHBOARD_KEY_UNREADABLE, `${path} is not a PEM private key.`, { path });
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new KioskError(
      ErrorCodes.DASHBOARD_KEY_UNREADABLE,
      `${path} is a ${key.asymmetricKeyType ?? "unknown"} key; commands are signed with Ed25519.`,
      { path },
    );
  }
  return key;
}

/** The public half in PEM, for every kiosk's `remote.commandPublicKey`. */
export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
}

/**
 * Writes a new key pair's private half to `path` (readable by its owner only) and returns the
 * public half. An existing key is never replaced unless asked: every kiosk trusts it.
 */
export function generateCommandKey(path: string, options: { force: boolean }): string {
  if (existsSync(path) && !options.force) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_KEY_EXISTS,
      `${path} exists already; every kiosk trusts its public key. Use --force to replace it (then reconfigure every kiosk).`,
      { path },
    );
  }
  const pair = newCommandKeyPair();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, pair.privateKeyPem, { mode: 0o600 });
  chmodSync(path, 0o600);
  return pair.publicKeyPem;
}

/**
 * The key the dashboard signs with, read when first needed: a key generated while the dashboard
 * runs is picked up without a restart. Null (and the reason) when there is none.
 */
export class CommandKeyHolder {
  #key: KeyObject | null = null;

  constructor(private readonly path: string | null) {}

  get(): KeyObject {
    if (this.#key) return this.#key;
    if (this.path === null) {
      throw new KioskError(
        ErrorCodes.DASHBOARD_NO_COMMAND_KEY,
        "No command key is configured (central.dashboard.commandKeyFile): commands cannot be signed.",
      );
    }
    this.#key = readCommandKey(this.path);
    return this.#key;
  }

  /** Whether commands can be signed now, and if not, why. */
  status(): { ok: true } | { ok: false; reason: string } {
    try {
      this.get();
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }
}
