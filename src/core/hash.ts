import { hash } from "node:crypto";

/** SHA-256 as hex; the one-shot hash (no Hash object) is about twice as fast on short texts. */
export function sha256(text: string): string {
  return hash("sha256", text, "hex");
}
