import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import { Keypad } from "../../components/keypad.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";

type Count = Extract<StaffScreen, { name: "staff.drawer-count" }>;

/** Count the drawer: what the shift expects, what is there, and the difference — recorded. */
export function DrawerCountScreen({ screen, view }: ScreenProps<Count>) {
  const { t, money } = view;
  const result = screen.result;
  const difference = result?.difference.minor ?? 0;
  return (
    <div class="screen staff staff-count">
      <StaffHeader view={view} title={t("staff.count.title")} back="home" staff={screen.staff} />
      <div class="staff-columns">
        <section class="staff-panel count-panel">
          <p class="count-line">
            <span>{t("staff.count.expected")}</span>
            <strong data-testid="count-expected">{screen.expected ? money(screen.expected) : "…"}</strong>
          </p>
          <div class="field field-active" data-testid="count-counted">
            <span class="field-label">{t("staff.count.counted")}</span>
            <span class="field-value">{money(screen.counted)}</span>
          </div>
          {result ? (
            <p
              class={`count-result ${difference === 0 ? "count-even" : difference > 0 ? "count-over" : "count-short"}`}
              data-testid="count-difference"
              data-minor={difference}
            >
              {difference === 0
                ? t("staff.count.even")
                : t(difference > 0 ? "staff.count.over" : "staff.count.short", {
                    amount: money({ ...result.difference, minor: Math.abs(difference) }),
                  })}
            </p>
          ) : null}
          <ErrorLine view={view} error={screen.error} testId="count-error" />
          {result ? (
            <Button kind="primary" wide testId="count-done" onPress={() => view.touch("home")}>
              {t("common.done")}
            </Button>
          ) : (
            <Button
              kind="primary"
              wide
              testId="count-save"
              disabled={screen.saving}
              onPress={() => view.touch("save")}
            >
              {screen.saving ? t("staff.working") : t("staff.count.save")}
            </Button>
          )}
        </section>
        <section class="staff-panel keypad-panel">
          <Keypad view={view} />
        </section>
      </div>
    </div>
  );
}
