import { z } from "zod";

/** Remote management: whom the kiosk takes commands from, and how much clock skew it forgives. */
export const remoteConfigSchema = z.strictObject({
  /**
   * Central's Ed25519 public key (PEM, from `spectra-kiosk central keys generate`). Without one,
   * every command is refused with REMOTE_NO_PUBLIC_KEY.
   */
  commandPublicKey: z
    .string()
    .regex(/-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/, "a PEM public key")
    .nullable()
    .default(null),
  /** Or a file holding it (read when a command arrives), e.g. the laptop setup's central writes one. */
  commandPublicKeyFile: z.string().min(1).nullable().default(null),
  /** The release key's public half: an update is installed only if the release is signed by it. */
  releaseKeyFile: z.string().min(1).default("/etc/spectra-kiosk/release-key.pub"),
  /** How far the kiosk's clock may be from central's when checking issuedAt and expiresAt. */
  maxClockSkewSeconds: z.number().int().min(0).max(3600).default(120),
});

export type RemoteConfig = z.infer<typeof remoteConfigSchema>;
