import { encode } from "uqr";
import type { QrCode } from "../../flows/self-service/screens.js";

/** Payment page addresses are short; anything longer is not one (and would make a dense code). */
const MAX_URL = 1_000;

/**
 * A URL as a QR code for the screen: one SVG path of its dark modules, each row's runs merged,
 * so the browser draws it without a QR library of its own.
 */
export function qrCode(url: string): QrCode {
  if (url.length > MAX_URL) throw new RangeError(`a payment page address of ${url.length} characters`);
  const { size, data } = encode(url, { border: 0, ecc: "M" });
  let path = "";
  data.forEach((row, y) => {
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < size && row[x]) x += 1;
      path += `M${start} ${y}h${x - start}v1h-${x - start}z`;
    }
  });
  return { size, path };
}
