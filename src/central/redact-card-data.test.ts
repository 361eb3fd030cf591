import { describe, expect, it } from "vitest";
import { redactCardBytes, redactCardData } from "./redact-card-data.js";

describe("redactCardData", () => {
  it("masks anything that could be a card number and removes track data", () => {
    const text = JSON.stringify({
      maskedPan: "4111111111111111",
      note: "card 5500005555555559 and order 1234567890123",
      reference: "4012 8888 8888 1881 / 3782-822463-10005",
      raw: "%B4111111111111111^DOE/JANE^25121010000000000000?;4111111111111111=25121010000000000000?",
    });
    const redacted = redactCardData(text);
    expect(redacted).not.toContain("4111111111111111");
    expect(redacted).not.toContain("5500005555555559");
    expect(redacted).not.toContain("DOE/JANE");
    expect(redacted).toContain("411111******1111");
    expect(redacted).toContain("550000******5559");
    // Written in groups, as people write card numbers down.
    expect(redacted).not.toMatch(/4012 8888 8888 1881|3782-822463-10005/);
    expect(redacted).toContain("401288******1881 / 378282*****0005");
    // Not a card number (fails Luhn): left as it was.
    expect(redacted).toContain("1234567890123");
  });

  it("leaves other bytes alone", () => {
    const bytes = Buffer.concat([
      Buffer.from([0, 255, 10]),
      Buffer.from("4111111111111111"),
      Buffer.from([200]),
    ]);
    const out = redactCardBytes(bytes);
    expect([...out.subarray(0, 3)]).toEqual([0, 255, 10]);
    expect(out.subarray(3, 19).toString("latin1")).toBe("411111******1111");
    expect(out.at(-1)).toBe(200);
  });

  it("leaves UUIDs whole, even when their digit groups happen to pass Luhn, and still masks a card number beside one", () => {
    const id = "01a237e5-b94a-7165-9862-1026598a24ad";
    expect(redactCardData(`record ${id}`)).toBe(`record ${id}`);
    expect(redactCardData(`${id} 4111 1111 1111 1111`)).toBe(`${id} 411111******1111`);
    expect(redactCardBytes(Buffer.from(`{"id":"${id}"}`)).toString()).toBe(`{"id":"${id}"}`);
  });
});
