import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";

/**
 * Where a kiosk belongs, as central's operators say: its studio and its tags. Central's own truth,
 * set at provisioning or on the dashboard; the studio a kiosk reports about itself is only a hint.
 */
export interface Placement {
  readonly studio: string | null;
  readonly tags: readonly string[];
}

export const NO_PLACEMENT: Placement = { studio: null, tags: [] };

/** As long as the studio name a kiosk reports (reportedConfig.studio.name). */
export const STUDIO_MAX_LENGTH = 80;
export const TAGS_MAX = 12;
export const TAG_MAX_LENGTH = 32;

/**
 * Letters (any script), digits, spaces and the marks a studio's name carries ("O'Neil & Co. —
 * Lakeside", "Studio #5", "Smith+Jones"); never quotes, angle brackets, backslashes or controls.
 */
const STUDIO_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} &'’.,()/#+@!:;—–-]*$/u;
/** Lowercase letters, digits and dashes, starting with a letter or digit: "front-desk", "floor2". */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

const refused = (problem: string): KioskError =>
  new KioskError(ErrorCodes.DASHBOARD_GROUP_INVALID, `${problem} Nothing changed.`);

/** A studio's name from a form or the command line: trimmed, inner spaces folded; "" is no studio. */
export function parseStudio(text: string): string | null {
  const studio = text.normalize("NFC").trim().replace(/\s+/g, " ");
  if (studio === "") return null;
  if (studio.length > STUDIO_MAX_LENGTH) {
    throw refused(`A studio's name is at most ${STUDIO_MAX_LENGTH} characters.`);
  }
  if (!STUDIO_PATTERN.test(studio)) {
    throw refused(
      "A studio's name is letters, digits, spaces and & ' . , ( ) / # + @ ! : ; - only, and starts with a letter or digit.",
    );
  }
  return studio;
}

/** One tag: trimmed and lowercased, then checked. */
export function parseTag(text: string): string {
  const tag = text.trim().toLowerCase();
  if (tag.length === 0 || tag.length > TAG_MAX_LENGTH || !TAG_PATTERN.test(tag)) {
    throw refused(
      `A tag is 1 to ${TAG_MAX_LENGTH} lowercase letters, digits and dashes, starting with a letter or digit (not "${tag.slice(0, 40)}").`,
    );
  }
  return tag;
}

/** Tags separated by commas or spaces; repeats are kept once, the order is sorted. */
export function parseTags(input: string | readonly string[]): string[] {
  const parts = (typeof input === "string" ? [input] : input)
    .flatMap((text) => text.split(/[\s,]+/))
    .filter((part) => part !== "");
  // Bounded before each is checked: a form of a million commas is refused at once.
  if (parts.length > TAGS_MAX * 4) throw refused(`A kiosk carries at most ${TAGS_MAX} tags.`);
  const tags = [...new Set(parts.map(parseTag))].sort();
  if (tags.length > TAGS_MAX) throw refused(`A kiosk carries at most ${TAGS_MAX} tags.`);
  return tags;
}

/** A group of kiosks: every kiosk of a studio, or every kiosk carrying a tag. */
export type KioskGroup =
  | { readonly kind: "studio"; readonly name: string }
  | { readonly kind: "tag"; readonly name: string };

/** The group a request names (`studio=…` or `tag=…`), checked like a placement; null when none. */
export function groupOf(params: URLSearchParams): KioskGroup | null {
  const studio = params.get("studio");
  const tag = params.get("tag");
  if (studio !== null && tag !== null) throw refused("Choose a studio or a tag, not both.");
  if (studio !== null) {
    const name = parseStudio(studio.slice(0, STUDIO_MAX_LENGTH + 1));
    if (name === null) throw refused("Name the studio.");
    return { kind: "studio", name };
  }
  if (tag !== null) return { kind: "tag", name: parseTag(tag.slice(0, TAG_MAX_LENGTH + 1)) };
  return null;
}

export function describeGroup(group: KioskGroup): string {
  return group.kind === "studio" ? `studio ${group.name}` : `tag ${group.name}`;
}

/** The group as query parameters: `studio=…` or `tag=…`. */
export function groupQuery(group: KioskGroup): string {
  return new URLSearchParams({ [group.kind]: group.name }).toString();
}
