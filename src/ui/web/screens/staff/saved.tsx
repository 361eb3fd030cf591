import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import { EmailSheet } from "../../components/email-sheet.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader, studioDate } from "./parts.js";
import { ReceiptStatus } from "./receipt-status.js";

type Saved = Extract<StaffScreen, { name: "staff.saved" }>;

/** Saved and on disk: the change due in large type, and whether the drawer opened. */
export function SavedScreen({ screen, view }: ScreenProps<Saved>) {
  const { t, money } = view;
  const { saved } = screen;
  const title =
    saved.status === "scheduled"
      ? t("staff.saved.scheduled")
      : saved.kind === "refund"
        ? t("staff.saved.refund")
        : t("staff.saved.payment");
  return (
    <div class="screen staff staff-saved">
      <StaffHeader view={view} title={title} staff={screen.staff} />
      <div class="saved-columns">
        <section class="staff-panel saved-facts" data-testid="saved-facts">
          <p>
            <span>{t("staff.saved.invoice")}</span> <strong>{saved.invoiceNumber}</strong>
          </p>
          <p>
            <span>{t("staff.saved.amount")}</span>{" "}
            <strong data-testid="saved-amount">{money(saved.amount)}</strong>
          </p>
          <p>
            <span>{t("staff.saved.method")}</span> <strong>{saved.methodName}</strong>
          </p>
          {saved.paymentDate ? (
            <p>
              <span>{t("staff.form.paymentDate")}</span>{" "}
              <strong>{studioDate(view, saved.paymentDate)}</strong>
            </p>
          ) : null}
          {saved.dueDate ? (
            <p>
              <span>{t("staff.form.dueDate")}</span>{" "}
              <strong data-testid="saved-due">{studioDate(view, saved.dueDate)}</strong>
            </p>
          ) : null}
          {saved.refundableUntil ? (
            <p>
              <span>{t("staff.saved.refundableUntil")}</span>{" "}
              <strong data-testid="saved-refundable-until">{studioDate(view, saved.refundableUntil)}</strong>
            </p>
          ) : null}
          {saved.authorizationCode ? (
            <p>
              <span>{t("staff.form.authorizationCode")}</span> <strong>{saved.authorizationCode}</strong>
            </p>
          ) : null}
          {saved.maskedPan ? (
            <p>
              <span>{t("staff.saved.card")}</span> <strong>···· {saved.maskedPan.slice(-4)}</strong>
            </p>
          ) : null}
        </section>
        <section class="staff-panel saved-change">
          {saved.changeDue ? (
            <>
              <span class="field-label">{t("staff.form.changeDue")}</span>
              <strong class="huge-amount" data-testid="saved-change">
                {money(saved.changeDue)}
              </strong>
              {saved.amountTendered ? (
                <span>{t("staff.saved.tendered", { amount: money(saved.amountTendered) })}</span>
              ) : null}
            </>
          ) : (
            <strong class="saved-check" data-testid="saved-status" data-status={saved.status}>
              ✓ {t(`staff.status.${saved.status}`)}
            </strong>
          )}
          {screen.drawer ? (
            <p class={`drawer drawer-${screen.drawer}`} data-testid="drawer-state" data-state={screen.drawer}>
              {t(`staff.saved.drawer.${screen.drawer}`)}
            </p>
          ) : null}
          <ErrorLine view={view} error={screen.drawerError} testId="drawer-error" />
          {screen.drawer === "failed" ? (
            <Button kind="secondary" testId="open-drawer" onPress={() => view.touch("open-drawer")}>
              {t("staff.saved.openDrawer")}
            </Button>
          ) : null}
          <ReceiptStatus view={view} receipt={screen.receipt} />
        </section>
      </div>
      <div class="saved-actions">
        {screen.receipt && screen.receipt.state !== "printing" ? (
          <Button kind="secondary" testId="reprint" onPress={() => view.touch("reprint", saved.recordId)}>
            {t("staff.receipts.reprint")}
          </Button>
        ) : null}
        {screen.emailReceipts ? (
          <Button kind="secondary" testId="email-receipt" onPress={() => view.touch("email", saved.recordId)}>
            {t("receipt.email.title")}
          </Button>
        ) : null}
        <Button kind="primary" wide testId="done" onPress={() => view.touch("done")}>
          {t("common.done")}
        </Button>
      </div>
      {screen.email ? <EmailSheet view={view} entry={screen.email} /> : null}
    </div>
  );
}
