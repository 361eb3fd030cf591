import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader, timeOf } from "./parts.js";
import { ReceiptStatus } from "./receipt-status.js";

type VoidList = Extract<StaffScreen, { name: "staff.void-list" }>;

const VOIDABLE = new Set(["completed", "scheduled"]);

/** The shift's records, newest first; a manager voids one after confirming. */
export function VoidListScreen({ screen, view }: ScreenProps<VoidList>) {
  const { t, money } = view;
  return (
    <div class="screen staff staff-void">
      <StaffHeader view={view} title={t("staff.void.title")} back="home" staff={screen.staff} />
      <ErrorLine view={view} error={screen.error} testId="void-error" />
      {screen.voided ? (
        <p class="staff-ok" data-testid="void-done">
          {t("staff.void.done")}
        </p>
      ) : null}
      <ReceiptStatus view={view} receipt={screen.receipt} />
      <div class="record-list" data-testid="record-list">
        {screen.records === null ? <p class="method-note">{t("staff.loading")}</p> : null}
        {screen.records?.length === 0 ? <p class="method-note">{t("staff.void.empty")}</p> : null}
        {screen.records?.map((record) => (
          <div
            class={`record-line record-${record.status}`}
            key={record.id}
            data-testid={`record-${record.id}`}
          >
            <span class="record-time">{timeOf(view, record.createdAt)}</span>
            <span class="record-what">
              <strong>{record.invoiceNumber}</strong> · {t(`staff.kind.${record.kind}`)} · {record.methodName}
            </span>
            <strong class="record-amount">{money(record.amount)}</strong>
            {VOIDABLE.has(record.status) ? (
              <Button
                kind="danger"
                testId={`void-${record.id}`}
                onPress={() => view.touch("select", record.id)}
              >
                {t("staff.void.void")}
              </Button>
            ) : (
              <span class="record-status">{t(`staff.status.${record.status}`)}</span>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
