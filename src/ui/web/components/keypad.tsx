import type { View } from "../view.js";
import { Button } from "./button.js";

const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** A phone-style numeric keypad: digits, clear and backspace, each at least 64 px high. */
export function Keypad({ view }: { view: View }) {
  return (
    <div class="keypad">
      {DIGITS.map((digit) => (
        <Button key={digit} kind="key" testId={`key-${digit}`} onPress={() => view.touch("key", digit)}>
          {digit}
        </Button>
      ))}
      <Button kind="key" testId="key-clear" onPress={() => view.touch("clear")}>
        {view.t("common.clear")}
      </Button>
      <Button kind="key" testId="key-0" onPress={() => view.touch("key", "0")}>
        0
      </Button>
      <Button kind="key" testId="key-backspace" onPress={() => view.touch("backspace")}>
        ⌫
      </Button>
    </div>
  );
}
