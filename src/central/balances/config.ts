import { z } from "zod";

/** Central's balances: pushing invoice accounts to the kiosks (signed with the dashboard's command key). */
export const balancesConfigSchema = z.strictObject({
  /** How often central looks for invoices whose account changed; a kiosk learns within about this. */
  pollIntervalMs: z.number().int().min(20).max(10_000).default(200),
  /** How long a signed accounts message stays valid; a kiosk refuses it after that. */
  ttlSeconds: z.number().int().min(30).max(86_400).default(600),
});

export type BalancesConfig = z.infer<typeof balancesConfigSchema>;
