import { describe, expect, it } from "vitest";
import { sampleInvoice, sampleRecord } from "../../../test/helpers/sync-fixtures.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { newId } from "../../core/ids.js";
import { encodeMessage } from "../../sync/protocol/codec.js";
import { replayedMessage, type StoredLetter } from "./replayed-message.js";

const KIOSK = "kiosk-unit";
const RECORDS = `spectra/v1/kiosks/${KIOSK}/up/records`;
const options = {
  maxMessageBytes: 1 << 20,
  limits: { maxAmountMinor: 100_000 },
  messageId: newId(),
  sentAt: new Date().toISOString(),
};
const letter = (payload: string, topic = RECORDS, extra: Partial<StoredLetter> = {}): StoredLetter => ({
  topic,
  payloadBytes: Buffer.byteLength(payload),
  payload: Buffer.from(payload),
  payloadRedacted: false,
  ...extra,
});

describe("replayedMessage", () => {
  const record = sampleRecord(sampleInvoice(), KIOSK, 5_000);

  it("puts one kept record back in an envelope of its own from its kiosk, read by ingest's classify", () => {
    const read = replayedMessage(letter(JSON.stringify(record)), options);
    expect(read.ok && read.incoming).toMatchObject({
      type: "records",
      deviceId: KIOSK,
      messageId: options.messageId,
      items: [{ ok: true, input: { record: { id: record.id, amount: { minor: 5_000 } } } }],
    });
  });

  it("checks it again with today's limits and the topic's kiosk", () => {
    const tooMuch = replayedMessage(
      letter(JSON.stringify(sampleRecord(sampleInvoice(), KIOSK, 200_000))),
      options,
    );
    expect(tooMuch.ok && tooMuch.incoming).toMatchObject({
      type: "records",
      items: [
        {
          ok: false,
          letter: { code: ErrorCodes.SYNC_RECORD_INVALID, reason: expect.stringMatching(/amount.*100000/i) },
        },
      ],
    });
    const foreign = replayedMessage(
      letter(JSON.stringify(record), "spectra/v1/kiosks/kiosk-other/up/records"),
      options,
    );
    expect(foreign.ok && foreign.incoming).toMatchObject({
      items: [{ ok: false, letter: { code: ErrorCodes.SYNC_RECORD_FOREIGN } }],
    });
  });

  it("reads a whole kept message as it came, and bytes that are not JSON as they came", () => {
    const whole = encodeMessage(
      "records",
      KIOSK,
      { records: [record] },
      { messageId: newId(), sentAt: options.sentAt },
    );
    const read = replayedMessage(letter(whole.body), options);
    expect(read.ok && read.incoming).toMatchObject({ type: "records", items: [{ ok: true }] });
    const garbage = replayedMessage(letter("{not json"), options);
    expect(garbage.ok && garbage.incoming).toMatchObject({
      type: "refused",
      letter: { code: ErrorCodes.SYNC_MESSAGE_NOT_JSON },
    });
  });

  it("refuses what is not what was sent, has no topic, or is a moment's report", () => {
    const body = JSON.stringify(record);
    const cases: [StoredLetter, RegExp][] = [
      [letter(body, RECORDS, { payloadBytes: 70_000 }), /only the first \d+ of its 70000 bytes/],
      [letter(body, RECORDS, { payloadRedacted: true }), /card data was removed/],
      [letter(`${body} [track data removed]`, RECORDS, { payloadRedacted: null }), /card data was removed/],
      [letter(body, ""), /no kiosk topic/],
      [letter(body, `spectra/v1/kiosks/${KIOSK}/up/telemetry`), /only payment records and end-of-day papers/],
      [letter(body, `spectra/v1/kiosks/${KIOSK}/down/records/ack`), /no kiosk topic|only payment records/],
    ];
    for (const [stored, why] of cases) {
      const read = replayedMessage(stored, options);
      expect(read.ok).toBe(false);
      expect(read.ok ? "" : read.reason).toMatch(why);
    }
  });
});
