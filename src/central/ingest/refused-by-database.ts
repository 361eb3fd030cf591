import { ErrorCodes } from "../../core/error-codes.js";
import type { Incoming } from "./incoming.js";

/**
 * The dead-letter form of one message (or one record) that PostgreSQL refused to store even alone:
 * its records are acknowledged as rejected, anything else is kept as a refused message. Null for
 * a message that is already a dead letter — if even that cannot be written, there is nothing left
 * to try.
 */
export function refusedByDatabase(item: Incoming, why: string): Incoming | null {
  const reason = `central's database refused it: ${why}`.slice(0, 500);
  switch (item.type) {
    case "records":
      return {
        ...item,
        items: item.items.map((record) =>
          record.ok
            ? {
                ok: false,
                ack: { recordId: record.input.record.id, revision: record.input.record.revision },
                letter: {
                  code: ErrorCodes.SYNC_RECORD_INVALID,
                  reason,
                  topic: record.input.topic,
                  deviceId: item.deviceId,
                  messageId: item.messageId,
                  recordId: record.input.record.id,
                  revision: record.input.record.revision,
                  payload: Buffer.from(JSON.stringify(record.input.record)),
                },
              }
            : record,
        ),
      };
    case "other":
      return {
        type: "refused",
        letter: {
          code: ErrorCodes.SYNC_MESSAGE_INVALID,
          reason,
          topic: item.topic,
          deviceId: item.message.deviceId,
          messageId: item.message.messageId,
          recordId: null,
          revision: null,
          payload: Buffer.from(JSON.stringify(item.message.payload)),
        },
      };
    case "refused":
      return null;
  }
}
