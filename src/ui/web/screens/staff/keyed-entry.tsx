import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";

type Keyed = Extract<StaffScreen, { name: "staff.keyed-entry" }>;

/** The processor's own page to key the card into: the number goes to the processor, never the kiosk. */
export function KeyedEntryScreen({ screen, view }: ScreenProps<Keyed>) {
  const { t, money } = view;
  return (
    <div class="screen staff staff-keyed">
      <StaffHeader
        view={view}
        title={t("staff.keyed.title", { amount: money(screen.amount) })}
        action={
          <Button
            kind="quiet"
            testId="cancel"
            disabled={screen.charging}
            onPress={() => view.touch("cancel")}
          >
            {t("common.cancel")}
          </Button>
        }
      />
      <ErrorLine view={view} error={screen.error} testId="keyed-error" />
      {screen.charging ? (
        <p class="swipe-prompt">{t("staff.swipe.charging")}</p>
      ) : screen.url ? (
        <iframe
          class="hosted-page"
          title={t("staff.keyed.frame")}
          src={screen.url}
          data-testid="hosted-page"
        />
      ) : screen.error ? (
        <Button kind="primary" testId="retry" onPress={() => view.touch("retry")}>
          {t("staff.keyed.retry")}
        </Button>
      ) : (
        <p class="swipe-prompt">{t("staff.keyed.opening")}</p>
      )}
    </div>
  );
}
