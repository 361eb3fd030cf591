import type { FoundPaymentLine, RecordLine } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import type { View } from "../../view.js";
import { studioDate, timeOf } from "./parts.js";

/** A record line; one "Find a payment" matched also names its client and its studio date. */
type Line = RecordLine | FoundPaymentLine;

/**
 * Records with their receipt actions — print a copy (marked REPRINT), email it — as the receipts
 * list and "Find a payment" show them; `busy` while a receipt prints.
 */
export function RecordLines({
  view,
  records,
  printer,
  emailReceipts,
  busy,
}: {
  view: View;
  records: readonly Line[];
  printer: boolean;
  emailReceipts: boolean;
  busy: boolean;
}) {
  const { t, money } = view;
  return (
    <>
      {records.map((record) => (
        <div
          class={`record-line record-${record.status}`}
          key={record.id}
          data-testid={`record-${record.id}`}
        >
          <span class="record-time">
            {"date" in record ? (
              <span class="record-date">{studioDate(view, record.date, "short")}</span>
            ) : null}
            {timeOf(view, record.createdAt)}
          </span>
          <span class="record-what">
            <strong>{record.invoiceNumber}</strong>
            {"clientName" in record && record.clientName ? ` · ${record.clientName}` : ""} ·{" "}
            {t(`staff.kind.${record.kind}`)} · {record.methodName}
            {record.status === "completed" ? null : ` · ${t(`staff.status.${record.status}`)}`}
          </span>
          <strong class="record-amount">{money(record.amount)}</strong>
          {printer ? (
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
          {emailReceipts ? (
            <Button kind="quiet" testId={`email-${record.id}`} onPress={() => view.touch("email", record.id)}>
              {t("staff.receipts.email")}
            </Button>
          ) : (
            <span />
          )}
        </div>
      ))}
    </>
  );
}
