import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Button } from "../../components/button.js";
import { Header } from "../../components/header.js";
import { Keypad } from "../../components/keypad.js";
import type { ScreenProps } from "../../view.js";

type Amount = Extract<SelfServiceScreen, { name: "self.amount" }>;

/** The whole balance in one touch, or a part typed on the keypad within the studio's rules. */
export function AmountScreen({ screen, view }: ScreenProps<Amount>) {
  const { t, money } = view;
  return (
    <div class="screen amount">
      <Header view={view} title={t("self.amount.title")} back="back" />
      <div class="two-columns">
        <section class="panel">
          <Button kind="primary" wide testId="pay-balance" onPress={() => view.touch("pay-balance")}>
            {t("self.amount.payBalance", { amount: money(screen.payable) })}
          </Button>
          <p class="or">{t("self.amount.or")}</p>
          <p class="amount-entered" data-testid="amount-entered">
            {money(screen.entered)}
          </p>
          <p class={`hint${screen.problem ? " problem" : ""}`} data-testid="amount-problem" role="status">
            {screen.problem
              ? t(`self.amount.problem.${screen.problem}`, {
                  minimum: money(screen.minimum),
                  balance: money(screen.payable),
                })
              : t("self.amount.hint", { minimum: money(screen.minimum) })}
          </p>
          <Button kind="primary" wide testId="confirm" onPress={() => view.touch("confirm")}>
            {t("self.amount.confirm")}
          </Button>
        </section>
        <section class="panel">
          <Keypad view={view} />
        </section>
      </div>
    </div>
  );
}
