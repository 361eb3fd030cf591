import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import type { Command } from "./messages.js";

export type UnsignedCommand = Omit<Command, "signature">;

/** The exact bytes a signature covers: every field but the signature, keys sorted, no spaces. */
export function signedBytes(command: UnsignedCommand): Buffer {
  const ordered = Object.fromEntries(
    Object.entries(command).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return Buffer.from(JSON.stringify(ordered, (_key, value: unknown) => sortedObject(value)));
}

function sortedObject(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Central signs each command with its Ed25519 private key (base64 signature). */
export function signCommand(command: UnsignedCommand, privateKey: KeyObject): Command {
  return { ...command, signature: sign(null, signedBytes(command), privateKey).toString("base64") };
}

/** The kiosk checks a command against central's public key from its configuration. */
export function hasValidSignature(command: Command, publicKey: KeyObject): boolean {
  const { signature, ...unsigned } = command;
  try {
    return verify(null, signedBytes(unsigned), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

export function commandPublicKey(pem: string): KeyObject {
  return createPublicKey(pem);
}

export function commandPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}

/** A new Ed25519 key pair in PEM: the private half for central, the public half for every kiosk. */
export function newCommandKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}
