import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/store.js";
import { openDatabase } from "./database.js";

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

describe("the database connection", () => {
  it("is durable (WAL, synchronous=FULL), checks foreign keys and keeps SQLite's checkpoint threshold", () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openDatabase(`${dir.path}/kiosk.sqlite`);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    // The record-commit bench's bare insert opens its database the same way: same pragmas.
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    db.close();
  });
});
