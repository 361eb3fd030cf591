import { describe, expect, it } from "vitest";
import { cardTypeFor, DEFAULT_CARD_PREFIXES } from "./card-brand.js";

const typeOf = (leadingDigits: string): string | null => cardTypeFor(leadingDigits, DEFAULT_CARD_PREFIXES);

/**
 * One case per range of the default table: the range's first and last six-digit BIN are the type,
 * and the BINs just outside it are not (they are another type, or none).
 */
const RANGES: { range: string; cardType: string; inside: string[]; outside: string[] }[] = [
  { range: "4", cardType: "Visa", inside: ["400000", "411111", "499999"], outside: ["399999", "500000"] },
  { range: "51–55", cardType: "Mastercard", inside: ["510000", "555555", "559999"], outside: ["560000"] },
  {
    range: "2221–2720",
    cardType: "Mastercard",
    inside: ["222100", "250000", "272099"],
    outside: ["222099", "272100"],
  },
  { range: "34", cardType: "American Express", inside: ["340000", "349999"], outside: ["330000", "350000"] },
  { range: "37", cardType: "American Express", inside: ["370000", "378282", "379999"], outside: [] },
  { range: "6011", cardType: "Discover", inside: ["601100", "601199"], outside: ["601000", "601200"] },
  { range: "644–649", cardType: "Discover", inside: ["644000", "649999"], outside: ["643999"] },
  { range: "65", cardType: "Discover", inside: ["650000", "659999"], outside: ["660000"] },
  { range: "3528–3589", cardType: "JCB", inside: ["352800", "358999"], outside: ["352799", "359000"] },
  { range: "36", cardType: "Diners Club", inside: ["360000", "369999"], outside: [] },
  { range: "38–39", cardType: "Diners Club", inside: ["380000", "399999"], outside: [] },
  { range: "300–305", cardType: "Diners Club", inside: ["300000", "305999"], outside: ["306000"] },
  { range: "3095", cardType: "Diners Club", inside: ["309500", "309599"], outside: ["309400", "309600"] },
  {
    range: "62",
    cardType: "UnionPay",
    inside: ["620000", "622126", "629999"],
    outside: ["610000", "630000"],
  },
  { range: "81", cardType: "UnionPay", inside: ["810000", "819999"], outside: ["800000", "820000"] },
  { range: "50", cardType: "Maestro", inside: ["500000", "501800", "509999"], outside: [] },
  { range: "56–58", cardType: "Maestro", inside: ["560000", "589999"], outside: ["590000"] },
  { range: "6304", cardType: "Maestro", inside: ["630400", "630499"], outside: ["630300", "630500"] },
  { range: "6759", cardType: "Maestro", inside: ["675900", "675999"], outside: ["675800"] },
  { range: "676", cardType: "Maestro", inside: ["676000", "676770", "676999"], outside: ["677000"] },
  { range: "2200–2204", cardType: "Mir", inside: ["220000", "220499"], outside: ["220500", "219999"] },
];

describe("the default card prefix table (ISO/IEC 7812's common ranges)", () => {
  it.each(RANGES)("$range is $cardType", ({ cardType, inside, outside }) => {
    for (const bin of inside) expect(typeOf(bin), bin).toBe(cardType);
    for (const bin of outside) expect(typeOf(bin), bin).not.toBe(cardType);
  });

  it("every range of the table has its case above", () => {
    const tested = new Set(RANGES.map((range) => range.range.replace("–", "-")));
    for (const rule of DEFAULT_CARD_PREFIXES) expect(tested, rule.prefix).toContain(rule.prefix);
  });

  it("reads short and partial numbers: too few digits for a range is no type", () => {
    expect(typeOf("62")).toBe("UnionPay");
    expect(typeOf("6")).toBeNull();
    expect(typeOf("352")).toBeNull();
    expect(typeOf("")).toBeNull();
    expect(typeOf("999999")).toBeNull();
  });
});
