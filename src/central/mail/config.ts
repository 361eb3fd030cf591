import { z } from "zod";
import { isEmailAddress } from "../../core/email-address.js";

/**
 * Central's outgoing mail: the studio's SMTP relay (emailed receipts and fleet alerts). The password
 * is in a file only central's user can read, never in the configuration, and never logged.
 */
export const mailConfigSchema = z.strictObject({
  host: z.string().min(1).max(255),
  /** 587 (submission, STARTTLS), 465 (TLS from the start), 25 (relay). */
  port: z.number().int().min(1).max(65_535).default(587),
  /**
   * "starttls": upgrade the connection before anything is sent, or refuse to send (port 587) ·
   * "tls": TLS from the first byte (port 465) · "none": plain SMTP, only for a relay on the same
   * host or a test server.
   */
  tls: z.enum(["starttls", "tls", "none"]).default("starttls"),
  /** A CA certificate (PEM file) to trust for the relay's certificate, besides the system's. */
  caFile: z.string().min(1).max(4096).nullable().default(null),
  auth: z
    .strictObject({
      user: z.string().min(1).max(255),
      /** The password, alone in a file of mode 0600. */
      passwordFile: z.string().min(1).max(4096),
    })
    .nullable()
    .default(null),
  /** The sender: the studio's address the receipts come from. */
  from: z.strictObject({
    address: z.string().refine(isEmailAddress, "an email address"),
    name: z.string().min(1).max(80).optional(),
  }),
  /** How long one email may take (connection, greeting, sending) before it counts as failed. */
  timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
  /** Emailed receipts one kiosk may ask for per hour (a stolen kiosk cannot use central to spam). */
  receiptsPerKioskPerHour: z.number().int().min(1).max(10_000).default(120),
});

export type MailConfig = z.infer<typeof mailConfigSchema>;
