import { ErrorCodes } from "../../core/error-codes.js";
import type { DeadLetter } from "../dead-letters.js";
import type { EndOfDayPart, Incoming, RecordItem } from "./incoming.js";

/**
 * The dead-letter form of one message (or one record) that PostgreSQL refused for its data even
 * alone. Each call goes one step further, so isolating a culprit always ends:
 * 1. its content becomes dead letters: a record is acknowledged `rejected` (with why), any other
 *    message is kept as a refused message with its bytes as received;
 * 2. should even those be refused, `final` dead letters keep only the code, why, the kiosk and the bytes —
 *    columns dead-letters.ts makes unrefusable;
 * 3. null: nothing is left to try (the caller logs it). The records are still acknowledged only
 *    if step 2 was written.
 */
export function refusedByDatabase(item: Incoming, why: string): Incoming | null {
  const reason = `central's database refused it: ${why}`.slice(0, 500);
  switch (item.type) {
    case "records": {
      if (item.final) return null;
      const alreadyLetters = item.items.every((record) => !record.ok);
      return {
        ...item,
        final: alreadyLetters,
        items: item.items.map((record): RecordItem => {
          if (!record.ok) return alreadyLetters ? { ...record, letter: bare(record.letter, reason) } : record;
          const { record: value, topic } = record.input;
          return {
            ok: false,
            ack: { recordId: value.id, revision: value.revision },
            letter: {
              code: ErrorCodes.SYNC_RECORD_INVALID,
              reason,
              topic,
              deviceId: item.deviceId,
              messageId: item.messageId,
              recordId: value.id,
              revision: value.revision,
              payload: Buffer.from(JSON.stringify(value)),
            },
          };
        }),
      };
    }
    case "end-of-day": {
      if (item.final) return null;
      const alreadyLetters = item.items.every((part) => !part.ok);
      return {
        ...item,
        final: alreadyLetters,
        items: item.items.map((part): EndOfDayPart => {
          if (!part.ok) return alreadyLetters ? { ...part, letter: bare(part.letter, reason) } : part;
          const { item: value } = part;
          return {
            ok: false,
            ack: { id: value.id, revision: value.revision },
            letter: {
              code: ErrorCodes.SYNC_RECORD_INVALID,
              reason,
              topic: item.topic,
              deviceId: item.deviceId,
              messageId: item.messageId,
              recordId: value.id,
              revision: value.revision,
              payload: Buffer.from(JSON.stringify(value)),
            },
          };
        }),
      };
    }
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
          payload: item.raw,
        },
      };
    case "refused":
      return item.final ? null : { type: "refused", letter: bare(item.letter, reason), final: true };
  }
}

/** A dead letter with nothing but its code, why, its kiosk (read from the topic's pattern) and its bytes. */
function bare(letter: DeadLetter, reason: string): DeadLetter {
  return {
    code: letter.code,
    reason,
    topic: "",
    deviceId: letter.deviceId,
    messageId: null,
    recordId: null,
    revision: null,
    payload: letter.payload,
  };
}
