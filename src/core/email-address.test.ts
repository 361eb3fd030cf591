import { describe, expect, it } from "vitest";
import { isEmailAddress, MAX_EMAIL_LENGTH } from "./email-address.js";

describe("isEmailAddress", () => {
  it("takes everyday addresses", () => {
    for (const address of ["ana@example.com", "ana.pena+recibos@correo.example.es", "a_b-c@sub.domain.co"])
      expect(isEmailAddress(address), address).toBe(true);
  });

  it("refuses what is not one address", () => {
    for (const address of [
      "",
      "ana",
      "ana@",
      "@example.com",
      "ana@example",
      "ana@@example.com",
      "ana@example..com",
      ".ana@example.com",
      "ana.@example.com",
      "ana@-example.com",
      "ana@example.com, bob@example.com",
      "ana@example.com\r\nBcc: bob@example.com",
      "ana @example.com",
      "ana@exa mple.com",
      "ñu@example.com",
    ])
      expect(isEmailAddress(address), JSON.stringify(address)).toBe(false);
  });

  it("refuses an address longer than SMTP carries, or a local part over 64", () => {
    expect(isEmailAddress(`${"a".repeat(64)}@example.com`)).toBe(true);
    expect(isEmailAddress(`${"a".repeat(65)}@example.com`)).toBe(false);
    const long = `ana@${`${"d".repeat(60)}.`.repeat(5)}com`;
    expect(long.length).toBeGreaterThan(MAX_EMAIL_LENGTH);
    expect(isEmailAddress(long)).toBe(false);
  });
});
