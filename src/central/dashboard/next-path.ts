/** The longest `next` followed: the dashboard's own links are short. */
const MAX_NEXT = 1000;
/** Percent-decoding is repeated until nothing changes, at most this often (%25252F…). */
const MAX_DECODINGS = 5;
/** Any origin of our own will do: the path is resolved against it and must not leave it. */
const OWN_ORIGIN = "http://dashboard.invalid";
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Where to go after signing in: only a path on this dashboard, never an open redirect. The value is
 * judged as a browser would read it, after undoing what hides a second slash: percent-encoding
 * (repeatedly: `%252F`), tabs and line breaks (browsers drop them anywhere in a URL), other control
 * characters, and backslashes (browsers read `\` as `/`). It must then start with exactly one `/`,
 * resolve against the dashboard's own origin without leaving it, and resolve to a path that itself
 * starts with one `/` (`/.//evil` resolves to `//evil`). Anything else is `/`.
 */
export function sameOriginPath(value: string | null | undefined): string {
  if (!value || value.length > MAX_NEXT) return "/";
  let text = value;
  for (let round = 0; ; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      return "/";
    }
    if (decoded === text) break;
    if (round === MAX_DECODINGS) return "/";
    text = decoded;
  }
  text = text.replace(CONTROL_CHARACTERS, "").replaceAll("\\", "/").trim();
  if (!isOnePath(text)) return "/";
  let url: URL;
  try {
    url = new URL(text, OWN_ORIGIN);
  } catch {
    return "/";
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === OWN_ORIGIN && isOnePath(path) ? path : "/";
}

const isOnePath = (text: string): boolean => text.startsWith("/") && !text.startsWith("//");
