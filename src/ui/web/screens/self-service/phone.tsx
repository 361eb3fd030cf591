import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Button } from "../../components/button.js";
import { Header } from "../../components/header.js";
import type { ScreenProps } from "../../view.js";

type Phone = Extract<SelfServiceScreen, { name: "self.phone" }>;

/** The page's QR code, drawn from the server's modules with a quiet zone of four around it. */
function QrImage({ qr, label }: { qr: NonNullable<Phone["link"]>["qr"]; label: string }) {
  const side = qr.size + 8;
  return (
    <svg
      class="qr"
      data-testid="pay-qr"
      viewBox={`-4 -4 ${side} ${side}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect x="-4" y="-4" width={side} height={side} fill="#fff" />
      <path d={qr.path} fill="#000" />
    </svg>
  );
}

/** Pay on your phone: scan the code, pay on the page; the kiosk waits for the payment to be reported. */
export function PhoneScreen({ screen, view }: ScreenProps<Phone>) {
  const { t, money } = view;
  const over = screen.phase === "expired" || screen.phase === "declined";
  return (
    <div class={`screen phone phone-${screen.phase}`}>
      <Header view={view} title={t("self.phone.title", { amount: money(screen.amount) })} />
      <div class="phone-body" data-testid="phone-phase" data-phase={screen.phase}>
        {screen.link && (screen.phase === "waiting" || screen.phase === "closing") ? (
          <>
            <QrImage qr={screen.link.qr} label={t("self.phone.scan")} />
            <div class="phone-text">
              <p class="phone-scan">{t("self.phone.scan")}</p>
              <p class="phone-waiting" data-testid="phone-waiting">
                <span class="spinner small" aria-hidden="true" />
                {t(screen.phase === "closing" ? "self.phone.closing" : "self.phone.waiting")}
              </p>
              {screen.phase === "waiting" ? (
                <Button kind="secondary" testId="cancel" onPress={() => view.touch("cancel")}>
                  {t("self.phone.cancel")}
                </Button>
              ) : null}
            </div>
          </>
        ) : screen.phase === "starting" ? (
          <p class="message-big">{t("self.phone.starting")}</p>
        ) : screen.phase === "unknown" ? (
          <div class="phone-text">
            <p class="message-big problem">{t("self.swipe.unknown")}</p>
            <p>{t("self.swipe.unknownDetail")}</p>
            <Button kind="primary" testId="done" onPress={() => view.touch("done")}>
              {t("common.done")}
            </Button>
          </div>
        ) : over ? (
          <div class="phone-text">
            <p class="message-big problem" data-testid="phone-over">
              {t(screen.phase === "expired" ? "self.phone.expired" : "self.phone.declined")}
            </p>
            <div class="button-row">
              <Button kind="primary" testId="retry" onPress={() => view.touch("retry")}>
                {t("self.phone.again")}
              </Button>
              <Button kind="secondary" testId="back" onPress={() => view.touch("back")}>
                {t("common.back")}
              </Button>
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}
