import type { StaffScreen } from "../../../flows/staff/index.js";
import { EmailSheet } from "../../components/email-sheet.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";
import { ReceiptStatus } from "./receipt-status.js";
import { RecordLines } from "./record-lines.js";

type Receipts = Extract<StaffScreen, { name: "staff.receipts" }>;

/** The shift's records, newest first: print a copy of any receipt (marked REPRINT), or email it. */
export function ReceiptsScreen({ screen, view }: ScreenProps<Receipts>) {
  const { t } = view;
  return (
    <div class="screen staff staff-receipts">
      <StaffHeader view={view} title={t("staff.receipts.title")} back="home" staff={screen.staff} />
      <ErrorLine view={view} error={screen.error} testId="receipts-error" />
      <ReceiptStatus view={view} receipt={screen.receipt} />
      <div class="record-list" data-testid="record-list">
        {screen.records === null ? <p class="method-note">{t("staff.loading")}</p> : null}
        {screen.records?.length === 0 ? <p class="method-note">{t("staff.receipts.empty")}</p> : null}
        {screen.records ? (
          <RecordLines
            view={view}
            records={screen.records}
            printer={screen.printer}
            emailReceipts={screen.emailReceipts}
            busy={screen.receipt?.state === "printing"}
          />
        ) : null}
      </div>
      {screen.email ? <EmailSheet view={view} entry={screen.email} /> : null}
    </div>
  );
}
