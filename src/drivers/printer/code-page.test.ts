import { describe, expect, it } from "vitest";
import { CODE_PAGES, decodeText, encodeText } from "./code-page.js";

const hex = (bytes: Buffer): string => bytes.toString("hex");

describe("code pages", () => {
  it("selects each page with the n of ESC t n from Epson's table", () => {
    expect(CODE_PAGES).toEqual({ cp437: 0, cp850: 2, cp1252: 16, cp858: 19 });
  });

  it("writes the euro sign where each page has it", () => {
    expect(hex(encodeText("€", "cp858"))).toBe("d5");
    expect(hex(encodeText("€", "cp1252"))).toBe("80");
  });

  it("writes Spanish letters and marks in CP858/CP850 and CP1252", () => {
    // ñ Ñ á é í ó ú ü ¿ ¡
    expect(hex(encodeText("ñÑáéíóúü¿¡", "cp858"))).toBe("a4a5a082a1a2a381a8ad");
    expect(hex(encodeText("ñÑáéíóúü¿¡", "cp850"))).toBe("a4a5a082a1a2a381a8ad");
    expect(hex(encodeText("ñÑáéíóúü¿¡", "cp1252"))).toBe("f1d1e1e9edf3fafcbfa1");
  });

  it("spells the euro EUR on a page without it", () => {
    expect(encodeText("12,50 €", "cp437").toString("latin1")).toBe("12,50 EUR");
    expect(encodeText("12,50 €", "cp850").toString("latin1")).toBe("12,50 EUR");
  });

  it("drops an accent the page lacks and keeps the letter, else prints ?", () => {
    // ő (Hungarian) is in none of these pages; ő → o. A CJK character has no fallback.
    expect(encodeText("Győ", "cp1252").toString("latin1")).toBe("Gyo");
    expect(encodeText("店", "cp858").toString("latin1")).toBe("?");
    expect(encodeText("“Ana” – café…", "cp437").toString("latin1")).toBe('"Ana" - caf\x82...');
  });

  it("turns control characters into spaces so text cannot become a printer command", () => {
    expect(hex(encodeText("a\x1b@\x1dVb\x9b", "cp1252"))).toBe("612040205662" + "20");
  });

  it("prints Intl's no-break spaces as plain spaces", () => {
    expect(hex(encodeText("12,50\u00a0€ 1\u202f000", "cp858"))).toBe("31322c353020d5203120303030");
  });

  it("joins accents typed as separate marks before encoding (NFD → NFC)", () => {
    expect(hex(encodeText("n\u0303", "cp858"))).toBe("a4");
  });

  it("reads the bytes back to the same text", () => {
    const text = "Recibo: 1.234,56 € — Peña, Ángela";
    expect(decodeText(encodeText(text, "cp858"), "cp858")).toBe("Recibo: 1.234,56 € - Peña, Ángela");
    // WPC1252 has the dash (0x97) too.
    expect(decodeText(encodeText(text, "cp1252"), "cp1252")).toBe(text);
  });
});
