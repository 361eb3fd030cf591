import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Button } from "../../components/button.js";
import { Header } from "../../components/header.js";
import { formatMoment } from "../../format.js";
import type { ScreenProps } from "../../view.js";

type Summary = Extract<SelfServiceScreen, { name: "self.summary" }>;

/** Who, what, and where the invoice stands: total, paid, balance. */
export function SummaryScreen({ screen, view }: ScreenProps<Summary>) {
  const { t, money } = view;
  const { invoice } = screen;
  const paidUp = invoice.payable.minor <= 0;
  return (
    <div class="screen summary">
      <Header view={view} title={t("self.summary.title", { number: invoice.number })} back="back" />
      <div class="two-columns">
        <section class="panel">
          <p class="client" data-testid="client-name">
            {invoice.clientName}
          </p>
          <ul class="lines">
            {invoice.lines.map((line, index) => (
              <li key={`${index}:${line.description}`}>
                <span>
                  {line.quantity > 1 ? `${line.quantity} × ` : ""}
                  {line.description}
                </span>
                <span>{money(line.amount)}</span>
              </li>
            ))}
          </ul>
        </section>
        <section class="panel totals">
          <dl>
            <dt>{t("self.summary.total")}</dt>
            <dd data-testid="total">{money(invoice.total)}</dd>
            <dt>{t("self.summary.paid")}</dt>
            <dd data-testid="paid">{money(invoice.paid)}</dd>
            <dt class="balance">{t("self.summary.balance")}</dt>
            <dd class="balance" data-testid="balance">
              {money(invoice.balance)}
            </dd>
          </dl>
          {invoice.balanceAsOf ? (
            <p class="hint as-of" data-testid="balance-as-of">
              {invoice.balanceAsOf.at
                ? t("self.summary.balanceAsOf", {
                    time: formatMoment(invoice.balanceAsOf.at, view.locale, view.timeZone),
                  })
                : t("self.summary.balanceAsOfUnknown")}
            </p>
          ) : null}
          {paidUp ? (
            <p class="hint">{t("self.summary.paidUp")}</p>
          ) : (
            <>
              <Button kind="primary" wide testId="pay" onPress={() => view.touch("pay")}>
                {t("self.summary.pay")}
              </Button>
              {screen.payByPhone ? (
                <Button kind="secondary" wide testId="pay-phone" onPress={() => view.touch("pay-phone")}>
                  {t("self.summary.payPhone")}
                </Button>
              ) : null}
            </>
          )}
          <Button kind="secondary" wide testId="cancel" onPress={() => view.touch("cancel")}>
            {t("common.cancel")}
          </Button>
        </section>
      </div>
    </div>
  );
}
