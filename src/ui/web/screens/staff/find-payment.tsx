import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import { EmailSheet } from "../../components/email-sheet.js";
import { Keyboard } from "../../components/keyboard.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";
import { ReceiptStatus } from "./receipt-status.js";
import { RecordLines } from "./record-lines.js";

type FindPayment = Extract<StaffScreen, { name: "staff.find-payment" }>;

/**
 * "Find a payment": part of an invoice number or a client's name on the keyboard, then the kiosk's
 * records that match (newest first, at most 50), each with print again / email.
 */
export function FindPaymentScreen({ screen, view }: ScreenProps<FindPayment>) {
  const { t } = view;
  return (
    <div class="screen staff staff-lookup staff-receipts staff-find-payment">
      <StaffHeader view={view} title={t("staff.find.title")} back="home" staff={screen.staff} />
      <div class="lookup-row">
        <div class="field field-active" data-testid="find-text">
          <span class="field-label">{t("staff.find.ask")}</span>
          <span class="field-value">{screen.text || "\u00a0"}</span>
        </div>
        {screen.records === null ? (
          <Button
            kind="primary"
            testId="find"
            disabled={screen.searching || screen.text.trim() === ""}
            onPress={() => view.touch("find")}
          >
            {screen.searching ? t("staff.lookup.searching") : t("staff.find.find")}
          </Button>
        ) : (
          <Button kind="secondary" testId="find-edit" onPress={() => view.touch("edit")}>
            {t("staff.find.edit")}
          </Button>
        )}
      </div>
      <ErrorLine view={view} error={screen.error} testId="find-error" />
      <ReceiptStatus view={view} receipt={screen.receipt} />
      {screen.records === null ? (
        <Keyboard view={view} />
      ) : (
        <div class="record-list" data-testid="record-list">
          {screen.records.length === 0 ? <p class="method-note">{t("staff.find.none")}</p> : null}
          <RecordLines
            view={view}
            records={screen.records}
            printer={screen.printer}
            emailReceipts={screen.emailReceipts}
            busy={screen.receipt?.state === "printing"}
          />
        </div>
      )}
      {screen.email ? <EmailSheet view={view} entry={screen.email} /> : null}
    </div>
  );
}
