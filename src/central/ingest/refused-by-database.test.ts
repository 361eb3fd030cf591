import { describe, expect, it } from "vitest";
import { sampleInvoice, sampleRecord } from "../../../test/helpers/sync-fixtures.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { newId } from "../../core/ids.js";
import { contentHash } from "./content-hash.js";
import { classify, type Incoming } from "./incoming.js";
import { refusedByDatabase } from "./refused-by-database.js";

/** Applies refusedByDatabase until it gives up; returns every form it went through. */
function steps(first: Incoming): Incoming[] {
  const forms: Incoming[] = [];
  let next: Incoming | null = first;
  while (next && forms.length < 10) {
    forms.push(next);
    next = refusedByDatabase(next, "22003 value out of range");
  }
  return forms;
}

describe("refusedByDatabase", () => {
  it("ends within three steps for a record batch, still acknowledging the record as rejected", () => {
    // Built by hand, not read: whatever the record schema says of 2^31, the database refuses it.
    const record = sampleRecord(sampleInvoice(), "kiosk-a", 100, { revision: 2 ** 31 });
    const topic = "spectra/v1/kiosks/kiosk-a/up/records";
    const messageId = newId();
    const incoming: Incoming = {
      type: "records",
      topic,
      deviceId: "kiosk-a",
      messageId,
      items: [{ ok: true, input: { record, contentHash: contentHash(record), topic, messageId } }],
    };
    const forms = steps(incoming);
    expect(forms).toHaveLength(3);
    for (const form of forms.slice(1)) {
      if (form.type !== "records") throw new Error("a record batch stays a record batch");
      expect(form.items).toEqual([
        expect.objectContaining({ ok: false, ack: { recordId: record.id, revision: 2 ** 31 } }),
      ]);
    }
    const last = forms[2];
    if (last?.type !== "records" || last.items[0]?.ok !== false) throw new Error("unreachable");
    expect(last.items[0].letter).toMatchObject({
      code: ErrorCodes.SYNC_RECORD_INVALID,
      deviceId: "kiosk-a",
      topic: "",
      recordId: null,
      revision: null,
    });
  });

  it("ends within three steps for any other message, keeping its bytes as received", () => {
    const raw = Buffer.from(
      JSON.stringify({
        schema: 1,
        messageId: newId(),
        deviceId: "kiosk-a",
        sentAt: new Date().toISOString(),
        payload: { since: 0, limit: 10 },
      }),
    );
    const incoming = classify("spectra/v1/kiosks/kiosk-a/up/catalog/request", raw, 1 << 20);
    expect(incoming.type).toBe("other");
    const forms = steps(incoming);
    expect(forms).toHaveLength(3);
    expect(forms.slice(1).every((form) => form.type === "refused" && form.letter.payload === raw)).toBe(true);
  });
});
