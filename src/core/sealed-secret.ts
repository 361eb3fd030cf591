import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { ErrorCodes } from "./error-codes.js";
import { KioskError } from "./kiosk-error.js";

/** A secret encrypted to one device: an ephemeral X25519 key, HKDF-SHA256, AES-256-GCM. */
export const SEALED_SECRET_ALG = "X25519-HKDF-SHA256-A256GCM";

export interface SealedSecret {
  readonly alg: typeof SEALED_SECRET_ALG;
  /** The ephemeral X25519 public key, raw, base64url. */
  readonly epk: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

/** Which device and which secret a sealed secret is for: bound into it, so it cannot be moved. */
export interface SecretContext {
  readonly deviceId: string;
  readonly name: string;
}

const rawX25519 = (key: KeyObject): Buffer =>
  Buffer.from(String(key.export({ format: "jwk" }).x), "base64url");
const info = (context: SecretContext): Buffer =>
  Buffer.from(`spectra/v1 secret\n${context.deviceId}\n${context.name}`, "utf8");

function keyFor(shared: Buffer, ephemeral: Buffer, recipient: Buffer, context: SecretContext): Buffer {
  return Buffer.from(hkdfSync("sha256", shared, Buffer.concat([ephemeral, recipient]), info(context), 32));
}

/** A device's key pair (X25519), made when it is provisioned: it keeps the private half, central the public. */
export function newDeviceKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  return {
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/** Central seals a secret to one device's public key; only that device's private key opens it. */
export function sealSecret(
  plaintext: string,
  devicePublicKeyPem: string,
  context: SecretContext,
): SealedSecret {
  const recipient = createPublicKey(devicePublicKeyPem);
  if (recipient.asymmetricKeyType !== "x25519") throw new Error("a device key is an X25519 public key");
  const ephemeral = generateKeyPairSync("x25519");
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const epk = rawX25519(ephemeral.publicKey);
  const key = keyFor(shared, epk, rawX25519(recipient), context);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(info(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    alg: SEALED_SECRET_ALG,
    epk: epk.toString("base64url"),
    iv: iv.toString("base64url"),
    ciphertext: ciphertext.toString("base64url"),
    tag: cipher.getAuthTag().toString("base64url"),
  };
}

/**
 * The device opens a secret sealed to it. Anything else — another device's secret, one moved to
 * another name, a changed byte, a wrong key — fails with REMOTE_SECRET_UNREADABLE, never a guess.
 */
export function openSealedSecret(
  sealed: SealedSecret,
  devicePrivateKeyPem: string,
  context: SecretContext,
): string {
  try {
    const privateKey = createPrivateKey(devicePrivateKeyPem);
    const ephemeral = createPublicKey({
      key: { kty: "OKP", crv: "X25519", x: sealed.epk },
      format: "jwk",
    });
    const shared = diffieHellman({ privateKey, publicKey: ephemeral });
    const own = rawX25519(createPublicKey(privateKey));
    const key = keyFor(shared, Buffer.from(sealed.epk, "base64url"), own, context);
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64url"));
    decipher.setAAD(info(context));
    decipher.setAuthTag(Buffer.from(sealed.tag, "base64url"));
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, "base64url")),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new KioskError(
      ErrorCodes.REMOTE_SECRET_UNREADABLE,
      `The secret "${context.name}" was not sealed to this kiosk's key (or was changed on the way): nothing was stored.`,
      { name: context.name },
    );
  }
}
