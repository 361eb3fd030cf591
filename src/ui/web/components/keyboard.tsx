import type { View } from "../view.js";
import { Button } from "./button.js";

const ROWS = ["1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM'"];

/** An on-screen keyboard for invoice numbers and names; every key is sent to the kiosk. */
export function Keyboard({ view }: { view: View }) {
  return (
    <div class="keyboard">
      {ROWS.map((row) => (
        <div class="keyboard-row" key={row}>
          {[...row].map((key) => (
            <Button key={key} kind="key" testId={`key-${key}`} onPress={() => view.touch("key", key)}>
              {key}
            </Button>
          ))}
          {row === "ZXCVBNM'" ? (
            <>
              <Button kind="key" testId="key-space" onPress={() => view.touch("key", " ")}>
                {view.t("common.space")}
              </Button>
              <Button kind="key" testId="key-backspace" onPress={() => view.touch("backspace")}>
                ⌫
              </Button>
            </>
          ) : null}
        </div>
      ))}
    </div>
  );
}
