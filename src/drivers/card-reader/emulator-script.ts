import { fullSwipe, magneSafeSwipe, TEST_CARDS, type TestCard, track2, track3 } from "./swipe-builder.js";

/**
 * What the reader emulator plays, one script line at a time: a line of text is sent as the device
 * would send it; a line starting with `@` is a macro, so a demo file needs no card data in it.
 *
 *   @swipe visa|mastercard|amex|discover   tracks 1+2 of a test card (made from its test BIN and last 4)
 *   @track2 visa                           track 2 only, with its LRC
 *   @full visa                             tracks 1+2+3 with LRCs and a padded name
 *   @magnesafe visa                        MagTek MagneSafe encrypted output
 *   @expired visa · @badluhn visa          cards the reader must refuse
 *   @error                                 %E?;E? (a swipe the reader could not read)
 *   @noise 64                              that many random bytes (no line ending inside)
 *   @long 5000                             one line that long
 *   @wait 500                              pause, in milliseconds
 *   # ...                                  a comment; blank lines are skipped
 */
export type EmulatorStep =
  | { readonly kind: "send"; readonly bytes: Buffer }
  | { readonly kind: "wait"; readonly ms: number };

export type ScriptResult =
  | { readonly ok: true; readonly step: EmulatorStep | null }
  | { readonly ok: false; readonly problem: string };

const CARDS: Record<string, TestCard> = TEST_CARDS;

function randomNoise(length: number, lineEnding: string): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) bytes[index] = Math.floor(Math.random() * 256);
  const ending = lineEnding.charCodeAt(lineEnding.length - 1);
  // Keep the noise on one line: a line ending inside would split it.
  for (let index = 0; index < length; index += 1) if (bytes[index] === ending) bytes[index] = 0x00;
  return bytes;
}

export function scriptStep(text: string, lineEnding: string): ScriptResult {
  const line = text.replace(/[\r\n]+$/, "");
  const send = (payload: string | Buffer): ScriptResult => ({
    ok: true,
    step: {
      kind: "send",
      bytes: Buffer.concat([
        typeof payload === "string" ? Buffer.from(payload, "latin1") : payload,
        Buffer.from(lineEnding),
      ]),
    },
  });
  if (line.trim() === "" || line.startsWith("#")) return { ok: true, step: null };
  if (!line.startsWith("@")) return send(line);

  const [macro = "", argument = ""] = line.slice(1).trim().split(/\s+/);
  const card = CARDS[argument || "visa"];
  const count = Number(argument);
  switch (macro) {
    case "swipe":
    case "track2":
    case "full":
    case "magnesafe":
    case "expired":
    case "badluhn": {
      if (!card)
        return { ok: false, problem: `unknown test card "${argument}" (${Object.keys(CARDS).join(", ")})` };
      if (macro === "swipe") return send(fullSwipe(card));
      if (macro === "track2") return send(track2(card, { lrc: true }));
      if (macro === "full")
        return send(fullSwipe(card, { lrc: true, padName: true }) + track3({ lrc: true }));
      if (macro === "magnesafe") return send(magneSafeSwipe(card));
      if (macro === "expired") return send(fullSwipe({ ...card, expiry: "2001" }));
      return send(
        fullSwipe({ ...card, pan: `${card.pan.slice(0, -1)}${(Number(card.pan.slice(-1)) + 1) % 10}` }),
      );
    }
    case "error":
      return send("%E?;E?");
    case "noise":
    case "long":
    case "wait": {
      if (!Number.isInteger(count) || count < 0 || count > 1_000_000) {
        return { ok: false, problem: `@${macro} needs a whole number up to 1000000` };
      }
      if (macro === "wait") return { ok: true, step: { kind: "wait", ms: count } };
      return send(macro === "noise" ? randomNoise(count, lineEnding) : "7".repeat(count));
    }
    default:
      return { ok: false, problem: `unknown macro @${macro}` };
  }
}
