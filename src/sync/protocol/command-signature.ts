import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { canonicalJson } from "../../core/canonical-json.js";
import type { InvoiceAccounts } from "./account-messages.js";
import type { CatalogPage, Command, DesiredConfig } from "./messages.js";

export type UnsignedCommand = Omit<Command, "signature">;
export type UnsignedDesiredConfig = Omit<DesiredConfig, "signature">;

/**
 * What central signs, each under its own label: a signature made for one kind can never verify as
 * the other, even if a payload happened to fit both schemas.
 */
const PURPOSES = {
  command: "spectra/v1 command\n",
  desiredConfig: "spectra/v1 desired-config\n",
  invoiceAccounts: "spectra/v1 invoice-accounts\n",
  catalogPage: "spectra/v1 catalog-page\n",
} as const;
export type SignedKind = keyof typeof PURPOSES;

/**
 * The exact bytes a signature covers: the kind's label, then every field but the signature in
 * canonical JSON (keys sorted at every depth, no spaces).
 */
export function signedBytes(kind: SignedKind, fields: object): Buffer {
  return Buffer.concat([Buffer.from(PURPOSES[kind]), Buffer.from(canonicalJson(fields))]);
}

function signatureOf(kind: SignedKind, fields: object, privateKey: KeyObject): string {
  return sign(null, signedBytes(kind, fields), privateKey).toString("base64");
}

/** Central signs each command with its Ed25519 private key (base64 signature). */
export function signCommand(command: UnsignedCommand, privateKey: KeyObject): Command {
  return { ...command, signature: signatureOf("command", command, privateKey) };
}

/** Central signs each desired configuration with the same key, under its own label. */
export function signDesiredConfig(desired: UnsignedDesiredConfig, privateKey: KeyObject): DesiredConfig {
  return { ...desired, signature: signatureOf("desiredConfig", desired, privateKey) };
}

/** Central signs the invoice accounts it sends a kiosk with the same key, under their own label. */
export function signInvoiceAccounts(
  accounts: Omit<InvoiceAccounts, "signature">,
  privateKey: KeyObject,
): InvoiceAccounts {
  return { ...accounts, signature: signatureOf("invoiceAccounts", accounts, privateKey) };
}

/** Central signs each catalog page it answers a kiosk with, for that kiosk, under its own label. */
export function signCatalogPage(page: Omit<CatalogPage, "signature">, privateKey: KeyObject): CatalogPage {
  return { ...page, signature: signatureOf("catalogPage", page, privateKey) };
}

/** Whether `signature` is central's over the other fields; never throws (garbage is just false). */
export function verifiesAs<M extends { readonly signature: string }>(
  kind: SignedKind,
  message: M,
  publicKey: KeyObject,
): boolean {
  const { signature, ...unsigned } = message;
  try {
    return verify(null, signedBytes(kind, unsigned), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/** The kiosk checks a command against central's public key from its configuration. */
export function hasValidSignature(command: Command, publicKey: KeyObject): boolean {
  return verifiesAs("command", command, publicKey);
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
