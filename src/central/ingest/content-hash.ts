import { canonicalJson } from "../../core/canonical-json.js";
import { sha256 } from "../../core/hash.js";

/**
 * sha256 of a record's canonical JSON (keys sorted at every level): equal content, equal hash,
 * whatever the key order or the software version that serialised it. Central tells a duplicate
 * from a conflict by it.
 */
export function contentHash(value: unknown): string {
  return sha256(canonicalJson(value));
}
