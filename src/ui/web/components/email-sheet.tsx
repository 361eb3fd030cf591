import type { EmailEntry } from "../../flows/receipt-email.js";
import type { View } from "../view.js";
import { Button } from "./button.js";

const ROWS = ["1234567890", "qwertyuiop", "asdfghjkl@", "zxcvbnm._-"];
const ENDINGS = ["@gmail.com", "@outlook.com", ".com", ".es"];

/** A coded error in the screen's language, or the kiosk's own words when there is no translation. */
function errorText(view: View, code: string, message: string): string {
  const key = `receipt.error.${code}`;
  const text = view.t(key);
  return text === key ? message : text;
}

/**
 * The receipt's email address, typed on an on-screen keyboard (letters, digits, "@", ".", "_", "-",
 * and the common endings as one key each), over the screen it was opened from. The kiosk checks
 * the address when Send is touched; central sends the email.
 */
export function EmailSheet({ view, entry }: { view: View; entry: EmailEntry }) {
  const { t } = view;
  const key = (value: string, label = value) => (
    <Button key={value} kind="key" testId={`email-key-${value}`} onPress={() => view.touch("key", value)}>
      {label}
    </Button>
  );
  return (
    <div class="sheet-backdrop">
      <div class="sheet email-sheet" data-testid="email-sheet" role="dialog">
        <div class="sheet-title">
          <h2>{t("receipt.email.title")}</h2>
          <Button
            kind="quiet"
            testId="email-close"
            disabled={entry.sending}
            onPress={() => view.touch("email-close")}
          >
            ✕ {t(entry.sent ? "common.done" : "common.cancel")}
          </Button>
        </div>
        <div class="email-line">
          <output class="email-address" data-testid="email-address">
            {entry.address || <span class="email-placeholder">{t("receipt.email.placeholder")}</span>}
          </output>
          <Button
            kind="primary"
            testId="email-send"
            disabled={entry.sending || entry.address === ""}
            onPress={() => view.touch("email-send")}
          >
            {entry.sending ? t("receipt.email.sending") : t("receipt.email.send")}
          </Button>
        </div>
        {entry.sent ? (
          <p class="email-sent" data-testid="email-sent" role="status">
            {t("receipt.email.sent", { address: entry.sent })}
          </p>
        ) : null}
        {entry.error ? (
          <p class="email-error" data-testid="email-error" data-code={entry.error.code} role="alert">
            {errorText(view, entry.error.code, entry.error.message)}
          </p>
        ) : null}
        <div class="keyboard email-keyboard">
          {ROWS.map((row) => (
            <div class="keyboard-row" key={row}>
              {[...row].map((value) => key(value))}
            </div>
          ))}
          <div class="keyboard-row email-endings">
            {ENDINGS.map((value) => key(value))}
            <Button kind="key" testId="email-key-backspace" onPress={() => view.touch("backspace")}>
              ⌫
            </Button>
          </div>
        </div>
      </div>
    </div>
  );
}
