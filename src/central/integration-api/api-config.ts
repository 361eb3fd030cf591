import { z } from "zod";

/**
 * The integration API: a studio's own systems (Spectra) post invoices and payments to central with
 * a per-integration bearer token (`spectra-kiosk central integration add NAME`). Off unless enabled.
 */
export const integrationApiConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** 127.0.0.1 keeps it off the network; put a TLS reverse proxy in front to serve it further. */
  host: z.string().min(1).default("127.0.0.1"),
  port: z.number().int().min(0).max(65_535).default(8092),
  /** The largest request body taken (an invoices post); a payment is far smaller. */
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(32 * 1024 * 1024)
    .default(1024 * 1024),
});

export type IntegrationApiConfig = z.infer<typeof integrationApiConfigSchema>;
