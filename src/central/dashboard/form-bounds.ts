import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";

/** The fields a POST route takes, each with its longest value in characters. */
export interface FormBounds {
  readonly fields: Readonly<Record<string, number>>;
  /** Fields it takes besides (a command's arguments, checked by their schema after this). */
  readonly others?: { readonly count: number; readonly maxLength: number };
}

/** Every form carries its CSRF token (43 characters of base64url). */
const CSRF = { csrf: 64 } as const;

/** A form that carries nothing but its token (sign-out). */
export const TOKEN_ONLY: FormBounds = { fields: CSRF };

/** What each form of the dashboard may carry; anything else is refused before a handler runs. */
export const FORMS = {
  signIn: { fields: { ...CSRF, name: 64, password: 1024, next: 1000 } },
  signOut: TOKEN_ONLY,
  command: { fields: { ...CSRF, name: 40, confirm: 3 }, others: { count: 4, maxLength: 500 } },
  config: { fields: { ...CSRF, settings: 64 * 1024, baseVersion: 10, confirm: 3 } },
  secret: { fields: { ...CSRF, name: 64, value: 4096 } },
  placement: { fields: { ...CSRF, studio: 200, tags: 1000 } },
  groupCommand: {
    fields: { ...CSRF, studio: 200, tag: 100, name: 40, confirm: 3 },
    others: { count: 4, maxLength: 500 },
  },
  groupConfig: { fields: { ...CSRF, studio: 200, tag: 100, settings: 64 * 1024, confirm: 3 } },
  update: { fields: { ...CSRF, version: 64, url: 500, sha256: 64, kiosks: 4000, first: 4 } },
  deadLetterReplay: TOKEN_ONLY,
  deadLetterDismiss: { fields: { ...CSRF, reason: 500 } },
  userAdd: { fields: { ...CSRF, name: 64, role: 10, password: 1024 } },
  userRole: { fields: { ...CSRF, role: 10 } },
  userRemove: { fields: { ...CSRF, confirm: 3 } },
} as const satisfies Record<string, FormBounds>;

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/**
 * Checks a posted form against its bounds: no field repeated, none unknown, none longer than its
 * bound; a coded error names the field. Handlers then check what the values mean.
 */
export function checkForm(form: URLSearchParams, bounds: FormBounds): void {
  const seen = new Set<string>();
  let others = 0;
  for (const [name, value] of form) {
    const shown = name.slice(0, 40);
    if (seen.has(name)) throw refused(`the field ${shown} is sent twice`);
    seen.add(name);
    // Own fields only: "__proto__" or "constructor" must not find the prototype's.
    let max = Object.hasOwn(bounds.fields, name) ? bounds.fields[name] : undefined;
    if (max === undefined) {
      others++;
      if (!bounds.others || others > bounds.others.count || !NAME.test(name)) {
        throw refused(`the form has a field it does not take (${shown})`);
      }
      max = bounds.others.maxLength;
    }
    if (value.length > max) throw refused(`${shown} is longer than ${max} characters`);
  }
}

const refused = (problem: string): KioskError =>
  new KioskError(ErrorCodes.DASHBOARD_FORM_INVALID, `The form was refused: ${problem}. Nothing changed.`);
