import enCommon from "./messages/en/common.json";
import enSelf from "./messages/en/self-service.json";
import esCommon from "./messages/es/common.json";
import esSelf from "./messages/es/self-service.json";

type Messages = Readonly<Record<string, string>>;

/** Each helper's message file merges into one table per language; English fills any gap. */
const TABLES: Record<string, Messages> = {
  en: { ...enCommon, ...enSelf },
  es: { ...esCommon, ...esSelf },
};

export type Translate = (key: string, values?: Readonly<Record<string, string | number>>) => string;

/** Messages for a BCP 47 locale ("es-US" → Spanish); `{name}` placeholders are filled in. */
export function translator(locale: string): Translate {
  const table = TABLES[locale.split("-")[0] ?? "en"] ?? {};
  const english = TABLES.en ?? {};
  return (key, values) => {
    const text = table[key] ?? english[key] ?? key;
    return values
      ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`))
      : text;
  };
}

/** Lets the staff flow add its messages without editing this file. */
export function addMessages(language: string, messages: Messages): void {
  TABLES[language] = { ...TABLES[language], ...messages };
}
