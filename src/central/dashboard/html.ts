/** Markup that is already safe: built by `html`, never from raw input. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Interpolated = SafeHtml | string | number | boolean | null | undefined | readonly Interpolated[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map((item: Interpolated) => render(item)).join("");
  return escapeHtml(String(value));
}

/**
 * A template tag for markup: every interpolated value is escaped unless it is SafeHtml (made by this
 * tag), arrays are joined, and null, undefined and false render as nothing. Whatever a kiosk,
 * a dead letter or a user sent can therefore never become markup.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** Markup from trusted code only (e.g. SVG path data built from numbers). */
export function trusted(text: string): SafeHtml {
  return new SafeHtml(text);
}
