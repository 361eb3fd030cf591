import type { ProcessorIntegration } from "../card-processor.js";
import type { InvoiceTerms } from "../invoice.js";
import type { PaymentMethod } from "../payment-method.js";
import type { RecordLine } from "../payment-record.js";
import type { StudioDate } from "../studio-date.js";

/** Who is entering the record: a signed-in staff member, or a client at the self-service counter. */
export type Channel = { kind: "staff"; staffId: string } | { kind: "self-service" };

export interface PaymentLimits {
  readonly maxAmountMinor: number;
  readonly selfService: { readonly allowPartial: boolean; readonly minPartialMinor: number };
}

/** Everything the rules need to judge a draft; gathered by the store inside its write transaction. */
export interface RuleContext {
  readonly invoice: InvoiceTerms;
  /** Every record against this invoice (the fields the rules read). */
  readonly records: readonly RecordLine[];
  readonly methods: readonly PaymentMethod[];
  readonly limits: PaymentLimits;
  readonly today: StudioDate;
  readonly channel: Channel;
  /** Whether card payments go through an integrated processor ("gateway") or are entered by hand. */
  readonly processorKind: ProcessorIntegration;
}
