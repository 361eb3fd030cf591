import type { ComponentChildren } from "preact";
import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import { Keypad } from "../../components/keypad.js";
import type { ScreenProps, View } from "../../view.js";
import { DatePicker } from "./date-picker.js";
import { AlphaPad, ErrorLine, Sheet, StaffHeader, studioDate } from "./parts.js";

type Form = Extract<StaffScreen, { name: "staff.payment-form" }>;
type Field = keyof Form["errors"];

interface FieldProps {
  readonly screen: Form;
  readonly name: Field;
  readonly label: string;
  readonly value: ComponentChildren;
  readonly onPress: () => void;
  readonly active?: boolean;
}

/** A field to tap: it takes the keypad (text) or opens a picker (dates, menus); red when a rule refused it. */
function FieldButton({ screen, name, label, value, onPress, active }: FieldProps) {
  const error = screen.errors[name];
  return (
    <button
      type="button"
      class={`field${active ? " field-active" : ""}${error ? " field-invalid" : ""}`}
      data-testid={`field-${name}`}
      onClick={onPress}
      aria-invalid={error ? "true" : "false"}
    >
      <span class="field-label">{label}</span>
      <span class="field-value">{value}</span>
    </button>
  );
}

function Toggle({
  view,
  on,
  label,
  action,
  testId,
}: {
  view: View;
  on: boolean;
  label: string;
  action: string;
  testId: string;
}) {
  return (
    <button
      type="button"
      class={`toggle${on ? " toggle-on" : ""}`}
      data-testid={testId}
      aria-pressed={on ? "true" : "false"}
      onClick={() => view.touch("toggle", action)}
    >
      <span class="toggle-box">{on ? "✓" : ""}</span>
      {label}
    </button>
  );
}

function Choice({
  on,
  onPress,
  testId,
  children,
}: {
  on: boolean;
  onPress: () => void;
  testId: string;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      class={`choice${on ? " choice-on" : ""}`}
      data-testid={testId}
      aria-pressed={on}
      onClick={onPress}
    >
      {children}
    </button>
  );
}

function MethodFields({ screen, view }: ScreenProps<Form>) {
  const { t, money } = view;
  const { form } = screen;
  const field = (
    name: "amountTendered" | "checkNumber" | "authorizationCode" | "reference",
    label: string,
    value: ComponentChildren,
  ) => (
    <FieldButton
      screen={screen}
      name={name}
      label={label}
      value={value}
      active={form.focus === name}
      onPress={() => view.touch("focus", name)}
    />
  );
  switch (form.methodType) {
    case "cash":
      if (form.kind === "refund" || form.futurePayment) {
        return (
          <p class="method-note">
            {t(form.kind === "refund" ? "staff.form.cashRefund" : "staff.form.cashLater")}
          </p>
        );
      }
      return (
        <>
          <div class="form-row">
            {field(
              "amountTendered",
              t("staff.form.amountTendered"),
              form.amountTendered ? money(form.amountTendered) : "\u00a0",
            )}
            <div class="change-due" data-testid="change-due">
              <span class="field-label">{t("staff.form.changeDue")}</span>
              <strong>{form.changeDue ? money(form.changeDue) : "—"}</strong>
            </div>
          </div>
          <div class="quick-cash">
            {form.quickCash.map((amount) => (
              <Button
                key={amount.minor}
                kind="key"
                testId={`quick-cash-${amount.minor}`}
                onPress={() => view.touch("quick-cash", String(amount.minor))}
              >
                {money(amount)}
              </Button>
            ))}
          </div>
        </>
      );
    case "check":
      return (
        <div class="form-row">
          {field("checkNumber", t("staff.form.checkNumber"), form.checkNumber || "\u00a0")}
        </div>
      );
    case "card":
      return (
        <>
          <div class="form-row">
            <FieldButton
              screen={screen}
              name="cardType"
              label={t("staff.form.cardType")}
              value={`${form.cardType ?? t("staff.form.choose")} ▾`}
              onPress={() => view.touch("menu-open", "cardType")}
            />
            <div class={`choices${screen.errors.cardEntry ? " choices-invalid" : ""}`}>
              {form.cardEntryModes.map((mode) => (
                <Choice
                  key={mode}
                  on={form.cardEntry === mode}
                  testId={`entry-${mode}`}
                  onPress={() => view.touch("card-entry", mode)}
                >
                  {t(`staff.form.entry.${mode}`)}
                </Choice>
              ))}
            </div>
            {screen.payByPhone && form.kind === "payment" ? (
              <Button
                kind="secondary"
                testId="pay-phone"
                disabled={screen.saving}
                onPress={() => view.touch("pay-phone")}
              >
                {t("staff.form.payPhone")}
              </Button>
            ) : null}
          </div>
          {form.cardEntry === "manual" ? (
            <div class="form-row">
              {field(
                "authorizationCode",
                t("staff.form.authorizationCode"),
                form.authorizationCode || "\u00a0",
              )}
            </div>
          ) : null}
          {form.savedCards.length > 0 ? (
            <div class="form-row saved-cards" data-testid="saved-cards">
              <span class="field-label">{t("staff.form.savedCards")}</span>
              {form.savedCards.map((card) => (
                <Choice
                  key={card.token}
                  on={form.savedCard === card.token}
                  testId={`saved-card-${card.last4}`}
                  onPress={() => view.touch("saved-card", card.token)}
                >
                  {t("staff.form.savedCard", {
                    brand: card.brand ?? t("staff.form.card"),
                    last4: card.last4,
                    expiry: card.expiry ?? "—",
                  })}
                </Choice>
              ))}
            </div>
          ) : null}
          {form.saveCard !== null ? (
            <div class="form-row">
              <Toggle
                view={view}
                on={form.saveCard}
                label={t("staff.form.saveCard")}
                action="saveCard"
                testId="toggle-save-card"
              />
            </div>
          ) : null}
        </>
      );
    case "gift":
    case "other":
      return (
        <div class="form-row">
          {field("reference", t("staff.form.reference"), form.reference || "\u00a0")}
        </div>
      );
    default:
      return <p class="method-note">{t("staff.form.chooseMethod")}</p>;
  }
}

/** Every error the form shows, one line each, in the order of the fields. */
function Errors({ screen, view }: ScreenProps<Form>) {
  const entries = Object.entries(screen.errors);
  return (
    <div class="form-errors">
      {entries.map(([field, error]) => (
        <ErrorLine key={field} view={view} error={error} testId={`error-${field}`} />
      ))}
    </div>
  );
}

function Menus({ screen, view }: ScreenProps<Form>) {
  const { t, money } = view;
  const { form, invoice } = screen;
  if (form.menu === "cardType") {
    return (
      <Sheet view={view} title={t("staff.form.cardType")} close="menu-close" testId="card-type-menu">
        <div class="menu-grid">
          {screen.cardTypes.map((type) => (
            <Button
              key={type}
              kind={type === form.cardType ? "primary" : "secondary"}
              testId={`card-type-${type}`}
              onPress={() => view.touch("card-type", type)}
            >
              {type}
            </Button>
          ))}
        </div>
      </Sheet>
    );
  }
  if (form.menu === "refundOf") {
    return (
      <Sheet view={view} title={t("staff.form.refundOf")} close="menu-close" testId="refund-of-menu">
        <div class="menu-list">
          {invoice.payments.map((payment) => (
            <Button
              key={payment.id}
              kind={payment.id === form.refundOf ? "primary" : "secondary"}
              testId={`refund-of-${payment.id}`}
              onPress={() => view.touch("refund-of", payment.id)}
            >
              {money(payment.amount)} · {payment.methodName}
              {payment.detail ? ` · ${payment.detail}` : ""}
              {payment.paymentDate ? ` · ${studioDate(view, payment.paymentDate, "short")}` : ""}
            </Button>
          ))}
          {invoice.payments.length === 0 ? <p class="method-note">{t("staff.form.noPayments")}</p> : null}
        </div>
      </Sheet>
    );
  }
  return null;
}

/** Spectra's Payment/Refund form: every field on one 800×480 screen, the keypad beside it. */
export function PaymentFormScreen({ screen, view }: ScreenProps<Form>) {
  const { t, money } = view;
  const { form, invoice } = screen;
  const alpha = form.focus === "authorizationCode" || form.focus === "reference" || form.focus === "note";
  const dateField = form.futurePayment ? "dueDate" : "paymentDate";
  const dateValue = form.futurePayment ? form.dueDate : form.paymentDate;
  const pickerSelected = form.picker
    ? form.picker.field === "paymentDate"
      ? form.paymentDate
      : form[form.picker.field]
    : null;
  return (
    <div class="screen staff staff-form">
      <StaffHeader
        view={view}
        back="home"
        title={
          <span class="form-title" data-testid="form-invoice">
            {invoice.number} · {invoice.clientName}
            <small>
              {t("staff.form.balance", { balance: money(invoice.balance), paid: money(invoice.paid) })}
            </small>
            {invoice.credit ? (
              <small class="credit" data-testid="form-credit">
                {t("staff.form.credit", { credit: money(invoice.credit) })}
              </small>
            ) : null}
          </span>
        }
        action={
          <Button
            kind="primary"
            testId="save-close"
            disabled={screen.saving}
            onPress={() => view.touch("save")}
          >
            {screen.saving ? t("staff.form.saving") : t("staff.form.saveClose")}
          </Button>
        }
      />
      <div class="form-columns">
        <section class="form-fields">
          <div class="form-row">
            <div class="choices">
              <Choice
                on={form.kind === "payment"}
                testId="kind-payment"
                onPress={() => view.touch("kind", "payment")}
              >
                {t("staff.form.payment")}
              </Choice>
              <Choice
                on={form.kind === "refund"}
                testId="kind-refund"
                onPress={() => view.touch("kind", "refund")}
              >
                {t("staff.form.refund")}
              </Choice>
            </div>
            <FieldButton
              screen={screen}
              name={dateField}
              label={t(`staff.form.${dateField}`)}
              value={dateValue ? studioDate(view, dateValue) : t("staff.form.choose")}
              onPress={() => view.touch("date-open", dateField)}
            />
          </div>
          <div class="form-row">
            <FieldButton
              screen={screen}
              name="amount"
              label={t(form.kind === "refund" ? "staff.form.refundAmount" : "staff.form.amount")}
              value={<span data-testid="amount-value">{money(form.amount)}</span>}
              active={form.focus === "amount"}
              onPress={() => view.touch("focus", "amount")}
            />
            <FieldButton
              screen={screen}
              name="note"
              label={t("staff.form.note")}
              value={<span data-testid="note-value">{form.note || "\u00a0"}</span>}
              active={form.focus === "note"}
              onPress={() => view.touch("focus", "note")}
            />
          </div>
          <div class={`methods${screen.errors.methodId ? " choices-invalid" : ""}`}>
            {screen.methods.map((method) => (
              <Choice
                key={method.id}
                on={form.methodId === method.id}
                testId={`method-${method.id}`}
                onPress={() => view.touch("method", method.id)}
              >
                {method.name}
              </Choice>
            ))}
          </div>
          <MethodFields screen={screen} view={view} />
          <div class="form-row">
            <Toggle
              view={view}
              on={form.refundable}
              label={t("staff.form.refundable")}
              action="refundable"
              testId="toggle-refundable"
            />
            {form.refundable ? (
              <FieldButton
                screen={screen}
                name="refundableUntil"
                label={t("staff.form.refundableUntil")}
                value={
                  form.refundableUntil
                    ? studioDate(view, form.refundableUntil, "short")
                    : t("staff.form.choose")
                }
                onPress={() => view.touch("date-open", "refundableUntil")}
              />
            ) : null}
            {form.kind === "payment" ? (
              <Toggle
                view={view}
                on={form.futurePayment}
                label={t("staff.form.futurePayment")}
                action="futurePayment"
                testId="toggle-future"
              />
            ) : (
              <FieldButton
                screen={screen}
                name="refundOf"
                label={t("staff.form.refundOf")}
                value={`${invoice.payments.find((payment) => payment.id === form.refundOf)?.methodName ?? t("staff.form.choose")} ▾`}
                onPress={() => view.touch("menu-open", "refundOf")}
              />
            )}
          </div>
          <Errors screen={screen} view={view} />
        </section>
        <section class="form-pad">{alpha ? <AlphaPad view={view} /> : <Keypad view={view} />}</section>
      </div>
      {form.picker ? <DatePicker view={view} picker={form.picker} selected={pickerSelected} /> : null}
      <Menus screen={screen} view={view} />
    </div>
  );
}
