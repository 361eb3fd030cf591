import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";

type Swipe = Extract<StaffScreen, { name: "staff.card-swipe" }>;

/** Waiting for the card in the reader; a decline shows its reason and the next card can be swiped. */
export function CardSwipeScreen({ screen, view }: ScreenProps<Swipe>) {
  const { t, money } = view;
  return (
    <div class="screen staff staff-swipe">
      <StaffHeader
        view={view}
        title={t("staff.swipe.title", { number: screen.invoiceNumber })}
        staff={screen.staff}
      />
      <div class="staff-center">
        <p class="big-amount" data-testid="swipe-amount">
          {money(screen.amount)}
        </p>
        <p class="swipe-prompt" data-testid="swipe-prompt">
          {screen.charging
            ? t("staff.swipe.charging")
            : t("staff.swipe.prompt", { type: screen.cardType ?? t("staff.swipe.card") })}
        </p>
        <ErrorLine view={view} error={screen.error} testId="swipe-error" />
        <div class="staff-actions">
          <Button
            kind="secondary"
            testId="use-auth-code"
            disabled={screen.charging}
            onPress={() => view.touch("use-auth-code")}
          >
            {t("staff.swipe.useAuthCode")}
          </Button>
          <Button
            kind="quiet"
            testId="cancel"
            disabled={screen.charging}
            onPress={() => view.touch("cancel")}
          >
            {t("common.cancel")}
          </Button>
        </div>
      </div>
    </div>
  );
}
