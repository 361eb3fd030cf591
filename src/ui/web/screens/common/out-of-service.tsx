import type { CommonScreen } from "../../../protocol.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";

/** Locked by staff or central (or a store the kiosk cannot trust): no payments here. */
export function OutOfServiceScreen({ screen, view }: ScreenProps<CommonScreen>) {
  return (
    <div class="screen out-of-service">
      <div class="message">
        <p class="out-title">{view.t("common.outOfService.title")}</p>
        <p class="message-big">{view.t("common.outOfService.body")}</p>
        <p class="hint" data-testid="out-of-service-reason">
          {screen.reason}
        </p>
      </div>
      {screen.staffSignIn ? (
        <div class="attract-staff">
          <Button kind="quiet" testId="staff" onPress={() => view.touch("staff")}>
            {view.t("self.attract.staff")}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
