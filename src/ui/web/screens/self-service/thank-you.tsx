import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";

type ThankYou = Extract<SelfServiceScreen, { name: "self.thank-you" }>;

export function ThankYouScreen({ screen, view }: ScreenProps<ThankYou>) {
  const { t, money } = view;
  return (
    <div class="screen thank-you">
      <div class="message">
        <p class="thank-you-title">{t("self.thankYou.title")}</p>
        <p class="message-big">{t("self.thankYou.paid", { amount: money(screen.amount) })}</p>
        <p data-testid="balance-remaining">
          {screen.balanceRemaining.minor > 0
            ? t("self.thankYou.remaining", { amount: money(screen.balanceRemaining) })
            : t("self.thankYou.paidInFull")}
        </p>
        {screen.receiptPrinted ? <p>{t("self.thankYou.receipt")}</p> : null}
        <Button kind="primary" testId="done" onPress={() => view.touch("done")}>
          {t("common.done")}
        </Button>
      </div>
    </div>
  );
}
