import type { ComponentChildren } from "preact";
import type { ErrorView, StaffMemberView } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import { formatTime } from "../../format.js";
import type { View } from "../../view.js";

/** A coded error in the screen's language, or the kiosk's own words when there is no translation. */
export function errorText(view: View, error: ErrorView): string {
  const key = `staff.error.${error.code}`;
  const text = view.t(key);
  return text === key ? error.message : text;
}

/** A studio date ("2026-11-26") in the screen's locale; formatted in UTC so no time zone shifts it. */
export function studioDate(view: View, date: string, style: "medium" | "short" = "medium"): string {
  return new Intl.DateTimeFormat(view.locale, { dateStyle: style, timeZone: "UTC" }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** A moment's time of day on the studio's clock, with its date when `date` is given. */
export function timeOf(view: View, iso: string, date: "short" | null = null): string {
  return formatTime(iso, view.locale, view.timeZone, date);
}

export function ErrorLine({
  view,
  error,
  testId,
}: {
  view: View;
  error: ErrorView | null | undefined;
  testId: string;
}) {
  if (!error) return null;
  return (
    <p class="staff-error" role="alert" data-testid={testId} data-code={error.code}>
      {errorText(view, error)}
    </p>
  );
}

/** The staff title row: back to where it makes sense, the title, who is signed in. */
export function StaffHeader({
  view,
  title,
  back,
  staff,
  action,
}: {
  view: View;
  title: ComponentChildren;
  back?: string;
  staff?: StaffMemberView;
  action?: ComponentChildren;
}) {
  return (
    <header class="staff-header">
      {back ? (
        <Button kind="quiet" testId="back" onPress={() => view.touch(back)}>
          ‹ {view.t(back === "home" ? "staff.nav.home" : "common.back")}
        </Button>
      ) : (
        <span />
      )}
      <h1>{title}</h1>
      {action ??
        (staff ? (
          <span class="staff-who" data-testid="staff-who">
            {staff.name.replace(/\s*\(.*\)$/, "")} · {view.t(`staff.role.${staff.role}`)}
          </span>
        ) : (
          <span />
        ))}
    </header>
  );
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Letters and digits for authorization codes and references: 6 columns of 48 px keys. */
export function AlphaPad({ view }: { view: View }) {
  return (
    <div class="alpha-pad">
      {[...ALNUM].map((key) => (
        <Button key={key} kind="key" testId={`key-${key}`} onPress={() => view.touch("key", key)}>
          {key}
        </Button>
      ))}
      <Button kind="key" testId="key-space" onPress={() => view.touch("key", " ")}>
        {view.t("common.space")}
      </Button>
      <Button kind="key" testId="key-backspace" onPress={() => view.touch("backspace")}>
        ⌫
      </Button>
      <Button kind="key" testId="key-clear" onPress={() => view.touch("clear")}>
        {view.t("common.clear")}
      </Button>
    </div>
  );
}

/** A modal sheet over the screen: a title, its content, and a way to close it. */
export function Sheet({
  view,
  title,
  close,
  testId,
  children,
}: {
  view: View;
  title: ComponentChildren;
  close: string;
  testId: string;
  children: ComponentChildren;
}) {
  return (
    <div class="sheet-backdrop">
      <div class="sheet" data-testid={testId} role="dialog">
        <div class="sheet-title">
          <h2>{title}</h2>
          <Button kind="quiet" testId="sheet-close" onPress={() => view.touch(close)}>
            ✕ {view.t("common.cancel")}
          </Button>
        </div>
        {children}
      </div>
    </div>
  );
}
