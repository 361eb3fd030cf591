import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Button } from "../../components/button.js";
import { Header } from "../../components/header.js";
import type { ScreenProps } from "../../view.js";

type SeeStaff = Extract<SelfServiceScreen, { name: "self.see-staff" }>;

/** Cash and checks are taken at the front desk. */
export function SeeStaffScreen({ screen, view }: ScreenProps<SeeStaff>) {
  const { t, money } = view;
  return (
    <div class="screen message-screen">
      <Header view={view} title={t("self.seeStaff.title")} back="back" />
      <div class="message">
        <p class="message-big">{t("self.seeStaff.body", { method: screen.methodName })}</p>
        <p>{t("self.seeStaff.detail", { number: screen.invoiceNumber, amount: money(screen.amount) })}</p>
        <Button kind="primary" testId="done" onPress={() => view.touch("done")}>
          {t("common.done")}
        </Button>
      </div>
    </div>
  );
}
