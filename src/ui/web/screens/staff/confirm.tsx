import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";
import { StaffHeader } from "./parts.js";

type Confirm = Extract<StaffScreen, { name: "staff.confirm" }>;

/** One question before anything that cannot be taken back: void, close the day, lock, unlock. */
export function ConfirmScreen({ screen, view }: ScreenProps<Confirm>) {
  const { t, money } = view;
  const { confirm } = screen;
  const question =
    confirm.action === "void"
      ? t("staff.confirm.void", {
          amount: money(confirm.record.amount),
          method: confirm.record.methodName,
          number: confirm.record.invoiceNumber,
        })
      : t(`staff.confirm.${confirm.action}`);
  const danger = confirm.action !== "unlock";
  return (
    <div class="screen staff staff-confirm">
      <StaffHeader view={view} title={t(`staff.confirm.title.${confirm.action}`)} staff={screen.staff} />
      <div class="staff-center">
        <p class="confirm-question" data-testid="confirm-question">
          {question}
        </p>
        <div class="staff-actions">
          <Button
            kind="secondary"
            testId="confirm-no"
            disabled={screen.busy}
            onPress={() => view.touch("no")}
          >
            {t("staff.confirm.no")}
          </Button>
          <Button
            kind={danger ? "danger" : "primary"}
            testId="confirm-yes"
            disabled={screen.busy}
            onPress={() => view.touch("yes")}
          >
            {screen.busy ? t("staff.working") : t(`staff.confirm.yes.${confirm.action}`)}
          </Button>
        </div>
      </div>
    </div>
  );
}
