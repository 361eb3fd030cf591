import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import { Keyboard } from "../../components/keyboard.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader, studioDate, timeOf } from "./parts.js";

type Attention = Extract<StaffScreen, { name: "staff.attention" }>;
type Item = NonNullable<Attention["items"]>[number];

const shortTime = (view: ScreenProps<Attention>["view"], iso: string): string => timeOf(view, iso, "short");

const LABELS = {
  "offline-declined": "offlineDeclined",
  "collection-failed": "collectionFailed",
  "authentication-required": "authenticationRequired",
  "refused-by-central": "refusedByCentral",
  "due-at-desk": "dueAtDesk",
} as const satisfies Record<Item["kind"], string>;

/** When it happened or happens next, in words. */
function when({ view, item }: Pick<ScreenProps<Attention>, "view"> & { item: Item }): string {
  const { t } = view;
  if (item.kind === "offline-declined")
    return item.at ? t("staff.attention.forwarded", { time: shortTime(view, item.at) }) : "";
  if (item.kind === "refused-by-central")
    return item.at ? t("staff.attention.refusedAt", { time: shortTime(view, item.at) }) : "";
  if (item.kind === "due-at-desk")
    return item.at ? t("staff.attention.dueOn", { date: studioDate(view, item.at) }) : "";
  const tries = t("staff.attention.tries", { count: String(item.attempts ?? 0) });
  return item.at
    ? `${tries} · ${t("staff.attention.nextTry", { time: shortTime(view, item.at) })}`
    : `${tries} · ${t("staff.attention.noMoreTries")}`;
}

/** The words an action needs, typed on the keyboard: a check number, a reference, a reason. */
function FollowUpEntry({ screen, view }: ScreenProps<Attention>) {
  const { t, money } = view;
  const entry = screen.entry;
  if (!entry) return null;
  return (
    <div class="screen staff staff-lookup" data-testid="follow-up-entry" data-action={entry.action}>
      <StaffHeader
        view={view}
        title={t(`staff.attention.action.${entry.action}`)}
        back="back"
        staff={screen.staff}
      />
      <ErrorLine view={view} error={screen.error} testId="attention-error" />
      <div class="lookup-row">
        <div class="field field-active" data-testid="follow-up-text">
          <span class="field-label">
            {entry.item ? `${entry.item.invoiceNumber} · ${money(entry.item.amount)} · ` : ""}
            {t(`staff.attention.ask.${entry.action}`)}
          </span>
          <span class="field-value">{entry.text || "\u00a0"}</span>
        </div>
        <Button
          kind="primary"
          testId="follow-up-confirm"
          disabled={entry.text.trim() === ""}
          onPress={() => view.touch("confirm")}
        >
          {t("staff.attention.confirm")}
        </Button>
      </div>
      <Keyboard view={view} />
    </div>
  );
}

/**
 * Payments that need a person: taken offline and declined later, due future payments the saved card
 * could not pay, cash and check future payments fallen due, and records central refused — each with
 * its actions (the kiosk says which: `AttentionItem.actions`).
 */
export function AttentionScreen({ screen, view }: ScreenProps<Attention>) {
  const { t, money } = view;
  if (screen.entry) return <FollowUpEntry screen={screen} view={view} />;
  return (
    <div class="screen staff staff-void">
      <StaffHeader view={view} title={t("staff.attention.title")} back="home" staff={screen.staff} />
      <ErrorLine view={view} error={screen.error} testId="attention-error" />
      <div class="record-list" data-testid="attention-list">
        {screen.items === null ? <p class="method-note">{t("staff.loading")}</p> : null}
        {screen.items?.length === 0 ? <p class="method-note">{t("staff.attention.empty")}</p> : null}
        {screen.items?.map((item) => (
          <div
            class={`record-line attention-line attention-${item.kind}`}
            key={item.recordId}
            data-testid={`attention-${item.recordId}`}
          >
            <span class="record-what">
              <strong>{item.invoiceNumber}</strong> · {item.clientName} ·{" "}
              {t(`staff.attention.${LABELS[item.kind]}`)}
              <br />
              <span class="record-status">
                {item.outcome} · {when({ view, item })}
              </span>
              {item.payLink ? (
                <>
                  <br />
                  <span class="attention-link" data-testid={`pay-link-${item.recordId}`}>
                    {t("staff.attention.sendLink")} {item.payLink}
                  </span>
                </>
              ) : null}
            </span>
            <strong class="record-amount">{money(item.amount)}</strong>
            <span class="attention-actions">
              {item.actions.map((action) => (
                <Button
                  key={action}
                  kind={action === item.actions[0] ? "primary" : "secondary"}
                  testId={`${action}-${item.recordId}`}
                  onPress={() => view.touch(action, item.recordId)}
                >
                  {t(`staff.attention.action.${action}`)}
                </Button>
              ))}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
