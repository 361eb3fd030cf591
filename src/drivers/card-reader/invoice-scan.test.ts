import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../core/error-codes.js";
import { parseScan } from "./invoice-scan.js";

describe("parseScan", () => {
  it.each([
    ["an invoice number", "INV-10042", "INV-10042", "code"],
    ["a number with the scanner's CR", "100234\r", "100234", "code"],
    ["an AIM-prefixed QR code", "]Q1100234", "100234", "code"],
    ["a link with ?invoice=", "https://studio.example/pay?invoice=100234&x=1", "100234", "url"],
    ["a link with ?inv=", "http://studio.example/p?inv=A-77", "A-77", "url"],
    ["a link ending in the number", "https://studio.example/invoices/100234/", "100234", "url"],
  ])("reads %s", (_name, line, invoiceNumber, source) => {
    const outcome = parseScan(line);
    expect(outcome).toEqual({ ok: true, scan: { invoiceNumber, source } });
  });

  it.each([
    ["an empty line", "", ErrorCodes.SCAN_UNRECOGNIZED],
    ["a sentence", "hello world", ErrorCodes.SCAN_UNRECOGNIZED],
    ["a link to elsewhere", "https://studio.example/", ErrorCodes.SCAN_UNRECOGNIZED],
    ["a javascript: link", "javascript:alert(1)", ErrorCodes.SCAN_UNRECOGNIZED],
    ["a too-long number", "A".repeat(40), ErrorCodes.SCAN_UNRECOGNIZED],
    ["a card swipe", ";4111111111111111=3012101?", ErrorCodes.SCAN_LOOKS_LIKE_CARD],
    ["a card number", "4111111111111111", ErrorCodes.SCAN_LOOKS_LIKE_CARD],
    ["a link holding a card number", "https://x.example/4111111111111111", ErrorCodes.SCAN_UNRECOGNIZED],
  ])("rejects %s", (_name, line, code) => {
    const outcome = parseScan(line);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe(code);
      expect(outcome.error.message).not.toContain("4111111111111111");
    }
  });

  it("keeps a short all-digit number that happens to pass Luhn", () => {
    expect(parseScan("100230").ok).toBe(true);
  });
});
