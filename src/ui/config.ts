import { z } from "zod";

export const uiConfigSchema = z.strictObject({
  /** false runs the kiosk without its touchscreen (card work driven by another program). */
  enabled: z.boolean().default(true),
  /** 127.0.0.1 keeps the screen's WebSocket off the network. */
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8080),
  idleTimeoutSeconds: z.number().int().min(10).max(3600).default(60),
  signIn: z
    .strictObject({
      maxFailedPins: z.number().int().min(1).max(20).default(5),
      lockoutSeconds: z.number().int().min(10).max(86_400).default(300),
    })
    .default({ maxFailedPins: 5, lockoutSeconds: 300 }),
});

export type UiConfig = z.infer<typeof uiConfigSchema>;
