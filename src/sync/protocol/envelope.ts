import { z } from "zod";
import { messageIdSchema } from "./messages.js";
import { DEVICE_ID_PATTERN } from "./topics.js";

/** The envelope's schema version. A receiver rejects any other: a newer sender needs a newer receiver. */
export const SCHEMA_VERSION = 1;

/** What every message carries around its payload. The payload is checked against the topic's schema. */
export const envelopeSchema = z.strictObject({
  schema: z.literal(SCHEMA_VERSION),
  /** A UUID made by the sender; acks name the batch they answer by it. */
  messageId: messageIdSchema,
  /** The kiosk the message is from (uplink) or for (downlink); must equal the topic's. */
  deviceId: z.string().regex(DEVICE_ID_PATTERN),
  sentAt: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

export interface EnvelopeMeta {
  readonly messageId: string;
  readonly sentAt: string;
}
