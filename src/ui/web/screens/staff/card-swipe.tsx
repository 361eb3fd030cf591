import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";

type Swipe = Extract<StaffScreen, { name: "staff.card-swipe" }>;

/** The smart reader collecting: its step, and Cancel (stops it at the reader); after a refusal, Try again. */
function ReaderActions({ screen, view }: ScreenProps<Swipe>) {
  const { t } = view;
  if (screen.reader !== null) {
    return (
      <Button
        kind="secondary"
        testId="cancel-reader"
        disabled={screen.reader === "cancelling"}
        onPress={() => view.touch("cancel")}
      >
        {t("staff.reader.cancel")}
      </Button>
    );
  }
  return (
    <>
      <Button kind="primary" testId="retry" onPress={() => view.touch("retry")}>
        {t("staff.reader.retry")}
      </Button>
      <Button kind="quiet" testId="cancel" onPress={() => view.touch("cancel")}>
        {t("common.cancel")}
      </Button>
    </>
  );
}

/** Waiting for the card in the reader; a decline shows its reason and the next card can be swiped. */
export function CardSwipeScreen({ screen, view }: ScreenProps<Swipe>) {
  const { t, money } = view;
  if (screen.via === "reader") {
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
          {screen.reader ? (
            <p class="swipe-prompt" data-testid="reader-step" data-step={screen.reader}>
              {t(`staff.reader.${screen.reader}`)}
            </p>
          ) : null}
          <ErrorLine view={view} error={screen.error} testId="swipe-error" />
          <div class="staff-actions">
            <ReaderActions screen={screen} view={view} />
          </div>
        </div>
      </div>
    );
  }
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
