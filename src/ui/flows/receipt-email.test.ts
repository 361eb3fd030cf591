import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../core/error-codes.js";
import { emailAnswered, emailTouch, newEmailEntry } from "./receipt-email.js";

describe("the receipt's email keyboard", () => {
  const entry = newEmailEntry("rec-1");

  it("takes only the characters of an address, in lower case", () => {
    const typed = emailTouch(entry, "key", "A");
    expect(typed).toEqual({ kind: "entry", entry: { ...entry, address: "a" } });
    for (const key of [" ", ",", "<", "\n", "ñ", "ab"])
      expect(emailTouch(entry, "key", key).kind).toBe("ignored");
  });

  it("stops at the longest address SMTP carries", () => {
    const full = { ...entry, address: "a".repeat(254) };
    expect(emailTouch(full, "key", "b").kind).toBe("ignored");
  });

  it("refuses to send what is not an address, with a code", () => {
    const touched = emailTouch({ ...entry, address: "ana@" }, "email-send", undefined);
    expect(touched.kind === "entry" && touched.entry?.error?.code).toBe(ErrorCodes.RECEIPT_EMAIL_INVALID);
  });

  it("sends a valid address once and records the answer", () => {
    const touched = emailTouch({ ...entry, address: "ana@example.com" }, "email-send", undefined);
    expect(touched.kind).toBe("send");
    if (touched.kind !== "send") return;
    expect(emailTouch(touched.entry, "email-close", undefined).kind).toBe("ignored");
    expect(emailAnswered(touched.entry, null).sent).toBe("ana@example.com");
  });
});
