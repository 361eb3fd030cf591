import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import { EmailSheet } from "../../components/email-sheet.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader, timeOf } from "./parts.js";
import { ReceiptStatus } from "./receipt-status.js";

type Receipts = Extract<StaffScreen, { name: "staff.receipts" }>;

/** The shift's records, newest first: print a copy of any receipt (marked REPRINT), or email it. */
export function ReceiptsScreen({ screen, view }: ScreenProps<Receipts>) {
  const { t, money } = view;
  const busy = screen.receipt?.state === "printing";
  return (
    <div class="screen staff staff-receipts">
      <StaffHeader view={view} title={t("staff.receipts.title")} back="home" staff={screen.staff} />
      <ErrorLine view={view} error={screen.error} testId="receipts-error" />
      <ReceiptStatus view={view} receipt={screen.receipt} />
      <div class="record-list" data-testid="record-list">
        {screen.records === null ? <p class="method-note">{t("staff.loading")}</p> : null}
        {screen.records?.length === 0 ? <p class="method-note">{t("staff.receipts.empty")}</p> : null}
        {screen.records?.map((record) => (
          <div
            class={`record-line record-${record.status}`}
            key={record.id}
            data-testid={`record-${record.id}`}
          >
            <span class="record-time">{timeOf(view, record.createdAt)}</span>
            <span class="record-what">
              <strong>{record.invoiceNumber}</strong> · {t(`staff.kind.${record.kind}`)} · {record.methodName}
              {record.status === "completed" ? null : ` · ${t(`staff.status.${record.status}`)}`}
            </span>
            <strong class="record-amount">{money(record.amount)}</strong>
            {screen.printer ? (
              <Button
                kind="secondary"
                testId={`reprint-${record.id}`}
                disabled={busy}
                onPress={() => view.touch("reprint", record.id)}
              >
                {t("staff.receipts.reprint")}
              </Button>
            ) : (
              <span />
            )}
            {screen.emailReceipts ? (
              <Button
                kind="quiet"
                testId={`email-${record.id}`}
                onPress={() => view.touch("email", record.id)}
              >
                {t("staff.receipts.email")}
              </Button>
            ) : (
              <span />
            )}
          </div>
        ))}
      </div>
      {screen.email ? <EmailSheet view={view} entry={screen.email} /> : null}
    </div>
  );
}
