import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";

type Phone = Extract<StaffScreen, { name: "staff.phone" }>;

/** At the desk: the client pays on their phone; the page's QR code, and the wait for the payment. */
export function PhoneScreen({ screen, view }: ScreenProps<Phone>) {
  const { t, money } = view;
  const qr = screen.link?.qr;
  const side = qr ? qr.size + 8 : 0;
  return (
    <div class="screen staff staff-phone">
      <StaffHeader
        view={view}
        title={t("staff.phone.title", { number: screen.invoiceNumber })}
        staff={screen.staff}
      />
      <div class="phone-body" data-testid="phone-phase" data-phase={screen.phase}>
        {qr ? (
          <svg
            class="qr"
            data-testid="pay-qr"
            viewBox={`-4 -4 ${side} ${side}`}
            role="img"
            aria-label={t("staff.phone.scan")}
            shape-rendering="crispEdges"
          >
            <rect x="-4" y="-4" width={side} height={side} fill="#fff" />
            <path d={qr.path} fill="#000" />
          </svg>
        ) : null}
        <div class="phone-text">
          <p class="big-amount" data-testid="phone-amount">
            {money(screen.amount)}
          </p>
          <p class="phone-scan">{t(qr ? "staff.phone.scan" : "staff.phone.starting")}</p>
          <p class="phone-waiting" data-testid="phone-waiting">
            <span class="spinner small" aria-hidden="true" />
            {t(screen.phase === "closing" ? "staff.phone.closing" : "staff.phone.waiting")}
          </p>
          <ErrorLine view={view} error={screen.error} testId="phone-error" />
          <Button
            kind="secondary"
            testId="cancel"
            disabled={screen.phase === "closing"}
            onPress={() => view.touch("cancel")}
          >
            {t("common.cancel")}
          </Button>
        </div>
      </div>
    </div>
  );
}
