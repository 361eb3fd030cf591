import { describe, expect, it } from "vitest";
import { failureKind } from "./db-errors.js";

const sqlState = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe("failureKind", () => {
  it("refuses a record only for what is wrong in its values", () => {
    for (const code of ["22003", "22P05", "22021", "22007", "23505", "23514", "23502", "54000", "54001"]) {
      expect(failureKind(sqlState(code)), code).toBe("bad-data");
    }
    expect(failureKind(new RangeError("Maximum call stack size exceeded"))).toBe("bad-data");
  });

  it("retries the database's own trouble, never acking it: permissions, missing objects, disk, connections", () => {
    const aboutTheDatabase = [
      "42501", // insufficient privilege
      "42P01", // undefined table
      "42703", // undefined column
      "42883", // undefined function
      "25006", // read-only transaction
      "53100", // disk full
      "53200", // out of memory
      "53300", // too many connections
      "57P01", // admin shutdown
      "57014", // statement cancelled
      "08006", // connection failure
      "28P01", // authentication failed
      "3D000", // no such database
      "55P03", // lock not available
      "58030", // I/O error
      "XX000", // internal error
      "40003", // statement completion unknown
    ];
    for (const code of aboutTheDatabase) expect(failureKind(sqlState(code)), code).toBe("unavailable");
  });

  it("retries a serialization failure or a deadlock at once", () => {
    expect(failureKind(sqlState("40001"))).toBe("retry-now");
    expect(failureKind(sqlState("40P01"))).toBe("retry-now");
  });

  it("counts an error without a SQLSTATE as unavailability, Node's five-letter errno codes included", () => {
    expect(failureKind(new Error("Connection terminated unexpectedly"))).toBe("unavailable");
    expect(failureKind(Object.assign(new Error("write EPIPE"), { code: "EPIPE", syscall: "write" }))).toBe(
      "unavailable",
    );
    expect(failureKind(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toBe("unavailable");
    expect(failureKind(null)).toBe("unavailable");
    expect(failureKind("a string")).toBe("unavailable");
  });
});
