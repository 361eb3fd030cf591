import type { IdleWarning } from "../../protocol.js";
import type { View } from "../view.js";
import { Button } from "./button.js";

/** "Still there?" with the seconds left before the screen is cleared. */
export function IdleOverlay({ overlay, view }: { overlay: IdleWarning; view: View }) {
  return (
    <div class="overlay" data-testid="idle-overlay">
      <div class="overlay-card">
        <h2>{view.t("idle.title")}</h2>
        <p class="countdown" data-testid="idle-seconds">
          {overlay.secondsLeft}
        </p>
        <p>{view.t("idle.body", { seconds: overlay.secondsLeft })}</p>
        <Button kind="primary" wide testId="stay" onPress={() => view.touch("stay")}>
          {view.t("idle.stay")}
        </Button>
      </div>
    </div>
  );
}
