import type { StaffScreen } from "../../../flows/staff/index.js";
import type { View } from "../../view.js";
import { ErrorLine } from "./parts.js";

type ReceiptPrint = NonNullable<Extract<StaffScreen, { name: "staff.saved" }>["receipt"]>;

/** Whether the receipt is printing, came out, or did not (with the printer's coded reason). */
export function ReceiptStatus({ view, receipt }: { view: View; receipt: ReceiptPrint | null }) {
  if (!receipt) return null;
  return (
    <>
      <p
        class={`receipt-status receipt-${receipt.state}`}
        data-testid="receipt-status"
        data-state={receipt.state}
        data-record={receipt.recordId}
      >
        {view.t(`staff.receipt.${receipt.state}`)}
      </p>
      <ErrorLine view={view} error={receipt.error} testId="receipt-error" />
    </>
  );
}
