import type { PaymentFormView } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import type { View } from "../../view.js";
import { Sheet } from "./parts.js";

type Picker = NonNullable<PaymentFormView["picker"]>;

/** Sunday-first weekday initials in the screen's language (1 November 2026 was a Sunday). */
function weekdays(locale: string): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: "narrow", timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, day) => format.format(new Date(Date.UTC(2026, 10, 1 + day))));
}

/** A month of days to tap; the kiosk keeps which month is shown, so a reload shows the same one. */
export function DatePicker({
  view,
  picker,
  selected,
}: {
  view: View;
  picker: Picker;
  selected: string | null;
}) {
  const month = new Intl.DateTimeFormat(view.locale, {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${picker.month}-01T00:00:00Z`));
  return (
    <Sheet view={view} title={view.t(`staff.form.${picker.field}`)} close="date-close" testId="date-picker">
      <div class="picker-month">
        <Button kind="key" testId="month-previous" onPress={() => view.touch("date-month", "-1")}>
          ‹
        </Button>
        <strong data-testid="picker-month">{month}</strong>
        <Button kind="key" testId="month-next" onPress={() => view.touch("date-month", "+1")}>
          ›
        </Button>
      </div>
      <div class="picker-grid">
        {weekdays(view.locale).map((day, index) => (
          <span key={`w${index}`} class="picker-weekday">
            {day}
          </span>
        ))}
        {picker.weeks.flat().map((date, index) =>
          date ? (
            <button
              type="button"
              key={date}
              class={`picker-day${date === selected ? " picker-day-selected" : ""}`}
              data-testid={`day-${date}`}
              onClick={() => view.touch("date-pick", date)}
            >
              {Number(date.slice(8))}
            </button>
          ) : (
            <span key={`b${index}`} />
          ),
        )}
      </div>
    </Sheet>
  );
}
