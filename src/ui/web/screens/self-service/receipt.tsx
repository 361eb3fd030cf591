import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Button } from "../../components/button.js";
import { EmailSheet } from "../../components/email-sheet.js";
import type { ScreenProps } from "../../view.js";

type Receipt = Extract<SelfServiceScreen, { name: "self.receipt" }>;

/** Approved: the amount and card, then a receipt or none. */
export function ReceiptScreen({ screen, view }: ScreenProps<Receipt>) {
  const { t, money } = view;
  return (
    <div class="screen receipt">
      <div class="message">
        <div class="check-mark" aria-hidden="true">
          ✓
        </div>
        <p class="message-big" data-testid="approved">
          {t("self.receipt.approved", { amount: money(screen.amount) })}
        </p>
        <p>
          {[screen.card.brand, screen.card.maskedPan ? `•••• ${screen.card.maskedPan.slice(-4)}` : null]
            .filter(Boolean)
            .join(" ")}
          {screen.card.authorizationCode
            ? ` · ${t("self.receipt.auth", { code: screen.card.authorizationCode })}`
            : ""}
        </p>
        {screen.printFailed ? <p class="problem">{t("self.receipt.printFailed")}</p> : null}
        <p class="question">{t("self.receipt.question")}</p>
        <div class="button-row">
          <Button
            kind="primary"
            testId="print"
            disabled={screen.printing || !screen.printerAvailable}
            onPress={() => view.touch("print")}
          >
            {screen.printing ? t("self.receipt.printing") : t("self.receipt.print")}
          </Button>
          {screen.emailReceipts ? (
            <Button
              kind="secondary"
              testId="email-receipt"
              disabled={screen.printing}
              onPress={() => view.touch("email")}
            >
              {t("self.receipt.email")}
            </Button>
          ) : null}
          <Button
            kind="secondary"
            testId="no-receipt"
            disabled={screen.printing}
            onPress={() => view.touch("no-receipt")}
          >
            {t("self.receipt.none")}
          </Button>
        </div>
      </div>
      {screen.email ? <EmailSheet view={view} entry={screen.email} /> : null}
    </div>
  );
}
