/**
 * The fields of ISO/IEC 7813 financial tracks, read from the data between the sentinels.
 *
 * Track 1 (format code B): `B` PAN `^` NAME `^` YYMM service-code discretionary — PAN up to 19
 * digits (some issuers print spaces in it), the name up to 26 characters padded with spaces.
 * Track 2: PAN `=` YYMM service-code discretionary. On either track an absent expiry or service code
 * is replaced by one field separator. Masked output (MagneSafe) replaces digits with `*` (or `0`).
 */
export interface TrackFields {
  /** Digits only (or digits and `*` when masked); never logged or put in an error. */
  readonly pan: string;
  /** As encoded (`LAST/FIRST M.TITLE`), trailing padding removed; track 1 only. */
  readonly name: string | null;
  /** YYMM as encoded, or null when absent or masked. */
  readonly expiry: string | null;
  readonly serviceCode: string | null;
}

const TRACK1 = /^B([0-9 *]{1,25})\^([^^]{0,26})\^(.*)$/s;
const TRACK2 = /^([0-9*]{1,19})=(.*)$/s;

/** Reads YYMM and the service code from what follows the last field separator. */
function expiryAndService(
  rest: string,
  separator: string,
): { expiry: string | null; serviceCode: string | null } {
  let remaining = rest;
  let expiry: string | null = null;
  if (remaining.startsWith(separator)) remaining = remaining.slice(1);
  else {
    const head = remaining.slice(0, 4);
    if (head.length < 4) return { expiry: null, serviceCode: null };
    expiry = /^\d{4}$/.test(head) ? head : null;
    remaining = remaining.slice(4);
  }
  const code = remaining.slice(0, 3);
  const serviceCode = /^\d{3}$/.test(code) ? code : null;
  return { expiry, serviceCode };
}

export function readTrack1(data: string): TrackFields | null {
  const match = TRACK1.exec(data);
  if (!match) return null;
  const [, panText = "", nameText = "", rest = ""] = match;
  const pan = panText.replace(/ /g, "");
  if (pan.length === 0 || pan.length > 19) return null;
  const name = nameText.trim();
  return { pan, name: name.length > 0 ? name : null, ...expiryAndService(rest, "^") };
}

export function readTrack2(data: string): TrackFields | null {
  const match = TRACK2.exec(data);
  if (!match) return null;
  const [, pan = "", rest = ""] = match;
  return { pan, name: null, ...expiryAndService(rest, "=") };
}

/**
 * "DOE/JOHN Q.MR" → "JOHN Q DOE": surname after the given names, the title dropped, spaces
 * collapsed. Generic names some cards carry ("/", "CARDHOLDER/") give what is left, or null.
 */
export function displayName(encoded: string | null): string | null {
  if (encoded === null) return null;
  const slash = encoded.indexOf("/");
  let parts: string[];
  if (slash < 0) parts = [encoded];
  else {
    const surname = encoded.slice(0, slash);
    const given = encoded.slice(slash + 1);
    const dot = given.indexOf(".");
    parts = [dot >= 0 ? given.slice(0, dot) : given, surname];
  }
  const name = parts
    .map((part) => part.replace(/\s+/g, " ").trim())
    .filter((part) => part.length > 0)
    .join(" ");
  return name.length > 0 ? name : null;
}
