import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import { Keyboard } from "../../components/keyboard.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";

type Lookup = Extract<StaffScreen, { name: "staff.invoice-lookup" }>;

/** Open an invoice by its number (typed, or its QR code scanned). */
export function InvoiceLookupScreen({ screen, view }: ScreenProps<Lookup>) {
  const { t } = view;
  return (
    <div class="screen staff staff-lookup">
      <StaffHeader view={view} title={t("staff.lookup.title")} back="home" staff={screen.staff} />
      <div class="lookup-row">
        <div class="field field-active" data-testid="invoice-number">
          <span class="field-label">{t("staff.lookup.number")}</span>
          <span class="field-value">{screen.number || "\u00a0"}</span>
        </div>
        <Button
          kind="primary"
          testId="find"
          disabled={screen.searching || screen.number === ""}
          onPress={() => view.touch("find")}
        >
          {screen.searching ? t("staff.lookup.searching") : t("staff.lookup.find")}
        </Button>
      </div>
      <ErrorLine view={view} error={screen.error} testId="lookup-error" />
      <Keyboard view={view} />
    </div>
  );
}
