import fc from "fast-check";
import { containsCardNumber } from "../../src/payments/card/card-number-scan.js";
import type { MaskedPan } from "../../src/payments/card/masked-pan.js";
import { CARD_ENTRY_MODES } from "../../src/payments/payment-method.js";
import { type PaymentRecord, RECORD_KINDS, RECORD_STATUSES } from "../../src/payments/payment-record.js";
import { AMOUNT_CEILING_MINOR, MAX_REVISION } from "../../src/payments/record/bounds.js";
import { isStorableText } from "../../src/payments/record/text.js";

/**
 * Any valid payment record, with its edges often: the largest amounts and revisions, strings at
 * their length limits (astral characters included), the first and last dates, every method type.
 */

const storable = (text: string) => isStorableText(text);
/** Records as JSON.parse makes them: plain objects. */
const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
  fc.record(model, { noNullPrototype: true });

/** Text of at most `max` UTF-16 units (what zod counts), sometimes right at the limit. */
function text(max: number, min = 0): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ unit: "grapheme", minLength: min, maxLength: Math.max(min, Math.floor(max / 4)) }),
      fc.string({ unit: "grapheme-ascii", minLength: Math.max(min, max - 2), maxLength: max }),
      fc.string({ unit: "binary", minLength: min, maxLength: Math.max(min, Math.floor(max / 2)) }),
    )
    .filter((value) => value.length >= min && value.length <= max && storable(value));
}

const freeText = (max: number) => text(max).filter((value) => !containsCardNumber(value));
const id = text(64, 1);
const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null, freq: 3 });

const FIRST = new Date("1970-01-01T00:00:00.000Z");
const LAST = new Date("9999-12-31T23:59:59.999Z");
const moment = fc.date({ min: FIRST, max: LAST, noInvalidDate: true });
const instant = moment.map((date) => date.toISOString());
const studioDate = moment.map((date) => date.toISOString().slice(0, 10));

const currency = fc.stringMatching(/^[A-Z]{3}$/);
const minor = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min, max }),
    fc.constantFrom(min, max),
    fc.integer({ min, max: Math.min(max, min + 100_000) }),
  );

const maskedPan = fc
  .tuple(fc.stringMatching(/^\d{6}$/), fc.integer({ min: 2, max: 9 }), fc.stringMatching(/^\d{4}$/))
  .map(([first, stars, last]) => `${first}${"*".repeat(stars)}${last}` as MaskedPan);

type Money = { minor: number; currency: string };

const otherMethods = fc.oneof(
  record({
    type: fc.constant("check" as const),
    checkNumber: fc.stringMatching(/^\d{1,15}$/).filter((value) => !containsCardNumber(value)),
  }),
  record({
    type: fc.constant("card" as const),
    cardType: nullable(freeText(40)),
    entryMode: fc.constantFrom(...CARD_ENTRY_MODES),
    authorizationCode: nullable(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/)),
    processorToken: nullable(text(128)),
    processorReference: nullable(text(128)),
    maskedPan: nullable(maskedPan),
    brand: nullable(freeText(40)),
  }),
  record({ type: fc.constant("gift" as const), reference: nullable(freeText(64)) }),
  record({ type: fc.constant("other" as const), reference: nullable(freeText(64)) }),
);

/** The amount and the money that depends on it: overpayment up to it, cash tendered from it. */
const money = record({ minor: minor(1, AMOUNT_CEILING_MINOR), currency }).chain((amount) => {
  const of = (min: number, max: number) =>
    minor(min, max).map((value): Money => ({ minor: value, currency: amount.currency }));
  return fc.tuple(
    fc.constant(amount),
    nullable(of(0, amount.minor)),
    record({
      type: fc.constant("cash" as const),
      amountTendered: nullable(of(amount.minor, amount.minor + AMOUNT_CEILING_MINOR)),
      changeDue: nullable(of(0, AMOUNT_CEILING_MINOR)),
    }),
  );
});

const rest = record({
  id,
  revision: fc.oneof(fc.integer({ min: 1, max: MAX_REVISION }), fc.constantFrom(1, MAX_REVISION)),
  kind: fc.constantFrom(...RECORD_KINDS),
  invoiceId: id,
  invoiceNumber: text(32),
  clientId: id,
  sessionId: nullable(id),
  refundOf: nullable(id),
  paymentDate: nullable(studioDate),
  refundable: fc.boolean(),
  refundableUntil: nullable(studioDate),
  futurePayment: fc.boolean(),
  dueDate: nullable(studioDate),
  methodId: text(32),
  methodName: freeText(40),
  /** Cash, or one of the others. */
  cash: fc.boolean(),
  otherMethod: otherMethods,
  status: fc.constantFrom(...RECORD_STATUSES),
  declineCode: nullable(freeText(64)),
  staffId: nullable(text(32)),
  // A kiosk's device id is also its topic's: the topic's pattern, within the record's 64.
  deviceId: fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,62}$/),
  shiftId: nullable(id),
  note: nullable(freeText(500)),
  createdAt: instant,
  updatedAt: instant,
  voidedAt: nullable(instant),
  voidedBy: nullable(text(32)),
});

export const validRecord: fc.Arbitrary<PaymentRecord> = fc.tuple(money, rest).map(
  ([[amount, overpayment, cash], fields]): PaymentRecord => ({
    id: fields.id,
    revision: fields.revision,
    kind: fields.kind,
    invoiceId: fields.invoiceId,
    invoiceNumber: fields.invoiceNumber,
    clientId: fields.clientId,
    sessionId: fields.sessionId,
    refundOf: fields.refundOf,
    amount,
    overpayment,
    paymentDate: fields.paymentDate,
    refundable: fields.refundable,
    refundableUntil: fields.refundableUntil,
    futurePayment: fields.futurePayment,
    dueDate: fields.dueDate,
    methodId: fields.methodId,
    methodName: fields.methodName,
    method: fields.cash ? cash : fields.otherMethod,
    status: fields.status,
    declineCode: fields.declineCode,
    staffId: fields.staffId,
    deviceId: fields.deviceId,
    shiftId: fields.shiftId,
    note: fields.note,
    createdAt: fields.createdAt,
    updatedAt: fields.updatedAt,
    voidedAt: fields.voidedAt,
    voidedBy: fields.voidedBy,
  }),
);
