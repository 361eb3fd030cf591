import { describe, expect, it } from "vitest";
import { openTestStore, scratchDir } from "../../test/helpers/kiosk-store.js";
import { RECORD_FIELD_LIST } from "../payments/payment-record.js";
import { hashRowValues, LINE_COLUMNS, RECORD_COLUMNS } from "./record-rows.js";

describe("the kiosk's payment_records rows, derived from the record's description", () => {
  it("match the table the migrations make: every column, in order, with its type and nullability", () => {
    const dir = scratchDir();
    const store = openTestStore(dir.path, "kiosk-columns");
    try {
      const table = store.db.prepare("PRAGMA table_info(payment_records)").all() as {
        name: string;
        type: string;
        notnull: number;
      }[];
      const described = RECORD_FIELD_LIST.flatMap(([, field]) => field.kiosk.columns);
      expect(table.map((column) => [column.name, column.type, column.notnull === 0])).toEqual(
        described.map((column) => [column.name, column.type, column.nullable]),
      );
      expect(RECORD_COLUMNS).toEqual(table.map((column) => column.name));
    } finally {
      store.close();
      dir.remove();
    }
  });

  it("read a balance line from the columns the rules need, and no more", () => {
    expect(LINE_COLUMNS).toEqual([
      "id",
      "kind",
      "status",
      "amount_minor",
      "currency",
      "overpayment_minor",
      "refund_of",
      "method_json",
    ]);
  });

  it("hash a row so a column added later leaves older rows' hashes as their audit entries have them", () => {
    const first = Array.from({ length: 30 }, (_, index) => (index % 3 === 0 ? null : `v${index}`));
    // The first release's columns count even when null.
    expect(hashRowValues(first)).not.toBe(hashRowValues(first.slice(0, 29)));
    // A later column that is null leaves the hash alone; set, it changes it.
    expect(hashRowValues([...first, null])).toBe(hashRowValues(first));
    expect(hashRowValues([...first, null, null])).toBe(hashRowValues(first));
    expect(hashRowValues([...first, 5])).not.toBe(hashRowValues(first));
    expect(hashRowValues([...first, null, 5])).not.toBe(hashRowValues([...first, 5]));
  });
});
