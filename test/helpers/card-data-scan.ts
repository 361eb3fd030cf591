import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findCardNumbers } from "../../src/payments/card/card-number-scan.js";

export interface Finding {
  readonly source: string;
  readonly needle: string;
  readonly form: string;
  readonly offset: number;
}

/** A named piece of data to scan: a file, a snapshot of one, a network stream, a table. */
export interface Scanned {
  readonly source: string;
  readonly bytes: Buffer;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** First 6 and last 4 only, so a failure message never prints the number it found. */
export const maskForLabel = (pan: string): string => `${pan.slice(0, 6)}…${pan.slice(-4)}`;

/**
 * The forms a secret can take when some code writes it without meaning to: as it is, hex-encoded
 * (a Buffer logged, a bytea column) and UTF-16; base64 is decoded by `scan` and searched for the
 * clear form. `separators` lets a space or dash stand between any two characters (card numbers as
 * printed or typed).
 */
function formsOf(secret: string, separators: boolean): { form: string; pattern: RegExp }[] {
  const chars = [...secret].map(escapeRegExp);
  return [
    { form: "clear", pattern: new RegExp(chars.join(separators ? "[ -]?" : ""), "g") },
    { form: "hex", pattern: new RegExp(Buffer.from(secret, "latin1").toString("hex"), "gi") },
    { form: "utf-16", pattern: new RegExp(chars.join("\\x00"), "g") },
  ];
}

/** One secret to look for, in every form it could take; the label never repeats the secret. */
export interface Needle {
  readonly label: string;
  readonly forms: readonly { form: string; pattern: RegExp }[];
}

export interface CardSecrets {
  /** Full card numbers: found as digits, with spaces or dashes, and encoded. */
  readonly pans: readonly string[];
  /** Track 1 / track 2 bodies (between the sentinels) and their discretionary tails. */
  readonly tracks: readonly { label: string; text: string }[];
  /** Card verification values typed in the suite: found beside a verification field name. */
  readonly cvcs: readonly string[];
}

/** Needles for every secret of the suite, plus any CVV/CVC or PIN block written as a named field. */
export function cardDataNeedles(secrets: CardSecrets): Needle[] {
  const field = (names: string, value: string): RegExp =>
    new RegExp(`(?:${names})["'\\s]*[:=]\\s*["']?(?:${value})\\b`, "gi");
  return [
    ...secrets.pans.map((pan) => ({ label: `card number ${maskForLabel(pan)}`, forms: formsOf(pan, true) })),
    ...secrets.tracks.map((track) => ({ label: track.label, forms: formsOf(track.text, false) })),
    {
      label: "a card verification value of the suite",
      forms: [
        {
          form: "field",
          pattern: field("cvv2?|cvc2?|csc|cvn|security[ _-]?code", secrets.cvcs.map(escapeRegExp).join("|")),
        },
      ],
    },
    {
      label: "a card verification or PIN field with a value",
      forms: [
        { form: "field", pattern: field("cvv2?|cvc2?|card[ _-]?verification", "\\d{3,4}") },
        { form: "field", pattern: field('pin[ _-]?block|"pin"', "[0-9A-F]{4,16}") },
      ],
    },
  ];
}

/** Runs that could be base64 (or base64url) text, long enough to hide a card number. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

/** What every base64-looking run decodes to, at each of the four character alignments, one per line. */
function decodedRuns(text: string): string {
  const decoded: string[] = [];
  for (const match of text.matchAll(BASE64_RUN)) {
    const run = match[0].replace(/-/g, "+").replace(/_/g, "/");
    for (let skip = 0; skip < 4; skip++)
      decoded.push(Buffer.from(run.slice(skip), "base64").toString("latin1"));
  }
  return decoded.join("\n");
}

/**
 * Every place a needle occurs in each scanned piece, read as latin1 (bytes map one to one), and
 * inside anything base64 in it (offset -1: somewhere in a decoded run).
 */
export function scan(pieces: readonly Scanned[], needles: readonly Needle[]): Finding[] {
  const findings: Finding[] = [];
  for (const piece of pieces) {
    const text = piece.bytes.toString("latin1");
    const decoded = decodedRuns(text);
    for (const needle of needles) {
      for (const { form, pattern } of needle.forms) {
        for (const match of text.matchAll(pattern)) {
          findings.push({ source: piece.source, needle: needle.label, form, offset: match.index });
        }
        for (const _ of decoded.matchAll(pattern)) {
          findings.push({ source: piece.source, needle: needle.label, form: `base64 ${form}`, offset: -1 });
        }
      }
    }
  }
  return findings;
}

/** Every regular file under `dir` (symbolic links and devices, such as a pty, are not followed). */
export function filesUnder(dir: string, label = dir): Scanned[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) return filesUnder(path, `${label}/${name}`);
    return stat.isFile() ? [{ source: `${label}/${name}`, bytes: readFileSync(path) }] : [];
  });
}

/** How many times `text` occurs in the pieces (for showing the scan saw what it should). */
export function occurrences(pieces: readonly Scanned[], text: string): number {
  const pattern = new RegExp(escapeRegExp(text), "g");
  return pieces.reduce(
    (count, piece) => count + [...piece.bytes.toString("latin1").matchAll(pattern)].length,
    0,
  );
}

/** A card number found in a source file: where, and its masked form only. */
export interface SourceFinding {
  readonly source: string;
  readonly line: number;
  readonly masked: string;
}

/**
 * Every 13–19-digit run that passes Luhn (as one block, or groups joined by single spaces or
 * dashes) in the pieces: what the kiosk's own redaction takes for a card number
 * (`findCardNumbers`), so a source file holds none of what a log or record must not.
 */
export function cardNumbersIn(pieces: readonly Scanned[]): SourceFinding[] {
  return pieces.flatMap((piece) => {
    const text = piece.bytes.toString("latin1");
    return findCardNumbers(text).map((found) => ({
      source: piece.source,
      line: text.slice(0, found.start).split("\n").length,
      masked: maskForLabel(found.digits),
    }));
  });
}

/** Unit tests (`*.test.ts`) may hold published test numbers; everything else under src/ ships. */
export const isUnitTest = (source: string): boolean => source.endsWith(".test.ts");
