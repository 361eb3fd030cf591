import {
  constants,
  createCipheriv,
  createDecipheriv,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from "node:crypto";
import { z } from "zod";

/**
 * A card number and expiry sealed for the processor alone (RSA-OAEP-256 wrapping a one-time
 * AES-256-GCM key), as client-side encryption schemes do: the number never crosses the network in
 * clear, even where TLS ends early, and the kiosk cannot read what it sent.
 */
export const sealedCardSchema = z.strictObject({
  alg: z.literal("RSA-OAEP-256+A256GCM"),
  key: z.string().max(1024),
  iv: z.string().max(64),
  tag: z.string().max(64),
  data: z.string().max(4096),
});

export type SealedCard = z.infer<typeof sealedCardSchema>;

export interface CardSecret {
  readonly number: string;
  readonly expMonth: number;
  readonly expYear: number;
}

export function sealCard(secret: CardSecret, processorKey: KeyObject): SealedCard {
  const contentKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", contentKey, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(secret), "utf8"), cipher.final()]);
  const key = publicEncrypt(
    { key: processorKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    contentKey,
  );
  contentKey.fill(0);
  return {
    alg: "RSA-OAEP-256+A256GCM",
    key: key.toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
}

/** The processor's side; throws if the seal was tampered with or made for another key. */
export function unsealCard(sealed: SealedCard, privateKey: KeyObject): CardSecret {
  const contentKey = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    Buffer.from(sealed.key, "base64"),
  );
  const decipher = createDecipheriv("aes-256-gcm", contentKey, Buffer.from(sealed.iv, "base64"));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]);
  return JSON.parse(plain.toString("utf8")) as CardSecret;
}
