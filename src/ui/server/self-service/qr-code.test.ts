import { describe, expect, it } from "vitest";
import { qrCode } from "./qr-code.js";

describe("a payment page's QR code", () => {
  it("draws every dark module once, finder patterns in three corners", () => {
    const qr = qrCode(
      "https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8i9J0#fidkdWxOYHwnPyd1blpxYHZxWjA0",
    );
    expect(qr.size).toBeGreaterThanOrEqual(21);
    const runs = [...qr.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)];
    expect(runs.map((run) => run[0]).join("")).toBe(qr.path);
    const dark = new Set(
      runs.flatMap(([, x, y, w]) => Array.from({ length: Number(w) }, (_, i) => `${Number(x) + i},${y}`)),
    );
    // A finder pattern's top row is seven dark modules, at the top left, top right and bottom left.
    for (const [x, y] of [
      [0, 0],
      [qr.size - 7, 0],
      [0, qr.size - 7],
    ] as const) {
      for (let i = 0; i < 7; i += 1) expect(dark.has(`${x + i},${y}`), `${x + i},${y}`).toBe(true);
    }
  });

  it("refuses an address no payment page has", () => {
    expect(() => qrCode(`https://x/${"a".repeat(1_000)}`)).toThrow(RangeError);
  });
});
