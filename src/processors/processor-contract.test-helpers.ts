import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectKioskErrorAsync } from "../../test/helpers/kiosk-error.js";
import { type ErrorCode, ErrorCodes } from "../core/error-codes.js";
import type {
  CardProcessor,
  CardSource,
  Charge,
  HostedEntry,
  SaleRequest,
} from "../payments/card-processor.js";

/** The decline reasons every processor maps its own answers to. */
export const DECLINE_CODES = [
  ErrorCodes.PROCESSOR_DECLINED,
  ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS,
  ErrorCodes.PROCESSOR_EXPIRED_CARD,
  ErrorCodes.PROCESSOR_DO_NOT_HONOR,
  ErrorCodes.PROCESSOR_INVALID_CARD,
] as const satisfies readonly ErrorCode[];
export type DeclineCode = (typeof DECLINE_CODES)[number];

/** What a processor's test mode can be asked to do with a card. */
export type CardBehaviour = "approve" | DeclineCode;

/**
 * A processor that moves money, with the means to drive its test mode. Each implementation
 * (Authorize.Net and Stripe against their simulators, and opt-in against their sandboxes) gives one, and the same suite runs against it: STYLE point 12, as MQTT.js runs
 * every store through one abstract suite.
 */
export interface IntegratedHarness {
  readonly integrated: true;
  /** The processor as the kiosk builds it. */
  readonly processor: CardProcessor;
  readonly currency: string;
  /** A card source the test mode treats this way. */
  card(behaviour: CardBehaviour): CardSource;
  /**
   * Runs this sale (its key and amount; the harness may swap in its own test card that makes the
   * processor answer too late) so that the processor charges and the client never hears the answer:
   * resolves with the error the client reported (a timeout, a cut connection) and the request as sent.
   */
  saleWithLostAnswer(request: SaleRequest): Promise<{ error: unknown; sent: SaleRequest }>;
  /** How many charges the processor holds for this idempotency key (its own books, not the client's). */
  chargesWithKey(idempotencyKey: string): Promise<number>;
  /**
   * Keys a card on the processor's hosted page, as staff would, so the entry completes. Absent
   * where no program can key it (a live sandbox's form is a person's): then the contract checks the
   * entry opens, is open, and cancels.
   */
  keyOnHostedPage?(entry: HostedEntry, behaviour: CardBehaviour): Promise<void>;
  /**
   * The decline reasons the processor can report (all of DECLINE_CODES when absent): Authorize.Net,
   * for one, reports no separate reason for insufficient funds.
   */
  readonly declineCodes?: readonly DeclineCode[];
  /** The amount (minor units) a test of this behaviour charges, for test modes that pick by amount. */
  amountFor?(behaviour: CardBehaviour): number | undefined;
  /** Reasons beyond DECLINE_CODES this processor reports (held for review), each with a card and amount. */
  readonly extraDeclines?: readonly {
    readonly code: ErrorCode;
    card(): CardSource;
    readonly minor: number;
  }[];
  /**
   * Settles the charges made so far, for processors that refund only settled charges (Authorize.Net
   * settles once a day): true when done, false when the processor cannot be made to (a live sandbox).
   */
  settleCharges?(): Promise<boolean>;
  /**
   * The processor saves an approved sale's card when the sale carries the client's consent
   * (`saveCardFor`), returning its token with the charge (Authorize.Net: a customer profile from the
   * transaction). Absent: the processor does not yet, and the contract leaves that test out.
   */
  readonly savesCardFromSale?: boolean;
  close(): Promise<void>;
}

/** A processor that moves no money (manual entry: staff run the card on their own terminal). */
export interface ManualHarness {
  readonly integrated: false;
  readonly processor: CardProcessor;
  readonly currency: string;
  card(behaviour: CardBehaviour): CardSource;
  close(): Promise<void>;
}

export type ProcessorHarness = IntegratedHarness | ManualHarness;

let sequence = 0;
const nextKey = (what: string): string => `contract-${what}-${process.pid}-${Date.now()}-${++sequence}`;
const reference = () => ({ recordId: nextKey("record"), deviceId: "kiosk-contract" });

/**
 * The processor contract: every CardProcessor implementation passes it. A processor that moves
 * money must charge, decline with the kiosk's reasons, void, refund in full and in part but never
 * beyond the charge, answer a retried key with its first answer, be found by key after a lost
 * answer, charge a saved card and take keyed cards on its hosted page. One that moves no money
 * must refuse every money-moving call with PROCESSOR_NOT_INTEGRATED and never report a charge.
 */
export function describeProcessorContract(name: string, start: () => Promise<ProcessorHarness>): void {
  describe(`the processor contract: ${name}`, () => {
    let harness: ProcessorHarness;
    beforeAll(async () => {
      harness = await start();
    });
    afterAll(() => harness?.close());

    const sale = (
      source: CardSource,
      minor: number | undefined = 1_500,
      key = nextKey("sale"),
    ): SaleRequest => ({
      idempotencyKey: key,
      amount: { minor: minor ?? 1_500, currency: harness.currency },
      source,
      reference: reference(),
    });
    const integrated = (): IntegratedHarness => {
      if (!harness.integrated) throw new Error("this part of the contract is for processors that move money");
      return harness;
    };

    it("says whether it moves money, and its kind agrees", () => {
      expect(harness.processor.kind).toBe(harness.integrated ? "gateway" : "manual");
    });

    it("charges an approved card, describing it by brand, BIN and last 4 only", async () => {
      if (!harness.integrated) {
        await expectKioskErrorAsync(
          () => harness.processor.sale(sale(harness.card("approve"))),
          ErrorCodes.PROCESSOR_NOT_INTEGRATED,
        );
        return;
      }
      const request = sale(harness.card("approve"), 1_234);
      const charge = await harness.processor.sale(request);
      expect(charge.amount).toEqual({ minor: 1_234, currency: harness.currency });
      expect(charge.idempotencyKey).toBe(request.idempotencyKey);
      expect(charge.chargeId).not.toBe("");
      expect(charge.card.last4).toMatch(/^\d{4}$/);
      if (charge.card.maskedPan) expect(charge.card.maskedPan).toMatch(/^\d{6}\*+\d{4}$/);
      expect(await harness.chargesWithKey(request.idempotencyKey)).toBe(1);
    });

    it.each(DECLINE_CODES)("declines with %s and charges nothing", async (code) => {
      if (!harness.integrated) {
        await expectKioskErrorAsync(
          () => harness.processor.sale(sale(harness.card(code))),
          ErrorCodes.PROCESSOR_NOT_INTEGRATED,
        );
        return;
      }
      if (harness.declineCodes && !harness.declineCodes.includes(code)) {
        // A reason the processor does not report: no card of its test mode gives it.
        expect(() => integrated().card(code)).toThrow();
        return;
      }
      const request = sale(harness.card(code), harness.amountFor?.(code));
      await expectKioskErrorAsync(() => harness.processor.sale(request), code);
      expect(await harness.chargesWithKey(request.idempotencyKey)).toBe(0);
      expect(await harness.processor.lookup(request.idempotencyKey)).toBeNull();
    });

    it("declines with the reasons only it reports, and charges nothing", async () => {
      if (!harness.integrated || !harness.extraDeclines)
        return expectNothingFound(harness.processor, nextKey("extra"));
      for (const extra of harness.extraDeclines) {
        const request = sale(extra.card(), extra.minor);
        await expectKioskErrorAsync(() => harness.processor.sale(request), extra.code);
        expect(await integrated().chargesWithKey(request.idempotencyKey)).toBe(0);
        expect(await harness.processor.lookup(request.idempotencyKey)).toBeNull();
      }
    });

    it("answers a retried key with its first answer, never a second charge", async () => {
      if (!harness.integrated) return expectNothingFound(harness.processor, nextKey("never"));
      const request = sale(integrated().card("approve"), 2_000);
      const first = await harness.processor.sale(request);
      const again = await harness.processor.sale(request);
      expect(again.chargeId).toBe(first.chargeId);
      expect(await integrated().chargesWithKey(request.idempotencyKey)).toBe(1);
    });

    it("after a lost answer, says the outcome is unknown and is found by its key", async () => {
      if (!harness.integrated) return expectNothingFound(harness.processor, nextKey("lost"));
      const request = sale(integrated().card("approve"), 2_500);
      const { error, sent } = await integrated().saleWithLostAnswer(request);
      expect((error as { code?: unknown }).code).toBe(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN);
      const found = (await harness.processor.lookup(request.idempotencyKey)) as Charge;
      expect(found).toMatchObject({ amount: { minor: 2_500 }, idempotencyKey: request.idempotencyKey });
      // Retrying the same request now returns that charge instead of making another.
      expect((await harness.processor.sale(sent)).chargeId).toBe(found.chargeId);
      expect(await integrated().chargesWithKey(request.idempotencyKey)).toBe(1);
      expect(await harness.processor.lookup(nextKey("never-used"))).toBeNull();
    });

    it("voids a charge", async () => {
      if (!harness.integrated) {
        await expectKioskErrorAsync(
          () => harness.processor.void({ idempotencyKey: nextKey("void"), chargeId: "ch_none" }),
          ErrorCodes.PROCESSOR_NOT_INTEGRATED,
        );
        return;
      }
      const charge = await harness.processor.sale(sale(integrated().card("approve"), 700));
      const key = nextKey("void");
      await harness.processor.void({ idempotencyKey: key, chargeId: charge.chargeId });
      // A void sent again with its key (the reconciler does) is harmless.
      await harness.processor.void({ idempotencyKey: key, chargeId: charge.chargeId });
      // A voided charge has nothing left to refund.
      await expectKioskErrorAsync(
        () =>
          harness.processor.refund({
            idempotencyKey: nextKey("refund"),
            chargeId: charge.chargeId,
            amount: { minor: 100, currency: harness.currency },
            reference: reference(),
          }),
        ErrorCodes.PROCESSOR_REJECTED_REQUEST,
      );
    });

    it("refunds in part and in full, never beyond the charge, and finds a refund by its key", async () => {
      if (!harness.integrated) {
        await expectKioskErrorAsync(
          () =>
            harness.processor.refund({
              idempotencyKey: nextKey("refund"),
              chargeId: "ch_none",
              amount: { minor: 100, currency: harness.currency },
              reference: reference(),
            }),
          ErrorCodes.PROCESSOR_NOT_INTEGRATED,
        );
        expect(await harness.processor.lookupRefund(nextKey("refund"))).toBeNull();
        return;
      }
      const charge = await harness.processor.sale(sale(integrated().card("approve"), 5_000));
      const refundReference = reference();
      if (!((await harness.settleCharges?.()) ?? true)) {
        // Charges not settled yet cannot be refunded where the processor settles later.
        await expectKioskErrorAsync(
          () =>
            harness.processor.refund({
              idempotencyKey: nextKey("refund"),
              chargeId: charge.chargeId,
              amount: { minor: 1_000, currency: harness.currency },
              reference: refundReference,
            }),
          ErrorCodes.PROCESSOR_REFUND_NOT_SETTLED,
        );
        return;
      }
      const refund = (minor: number, key = nextKey("refund")) =>
        harness.processor.refund({
          idempotencyKey: key,
          chargeId: charge.chargeId,
          amount: { minor, currency: harness.currency },
          reference: refundReference,
        });
      const partKey = nextKey("refund");
      const part = await refund(3_000, partKey);
      expect(part).toMatchObject({ chargeId: charge.chargeId, amount: { minor: 3_000 } });
      expect((await refund(3_000, partKey)).refundId).toBe(part.refundId);
      expect((await harness.processor.lookupRefund(partKey))?.refundId).toBe(part.refundId);
      await expectKioskErrorAsync(() => refund(2_001), ErrorCodes.PROCESSOR_REJECTED_REQUEST);
      expect((await refund(2_000)).amount.minor).toBe(2_000);
      await expectKioskErrorAsync(() => refund(1), ErrorCodes.PROCESSOR_REJECTED_REQUEST);
      expect(await harness.processor.lookupRefund(nextKey("never-used"))).toBeNull();
    });

    it("saves a card as a token and charges it later", async () => {
      if (!harness.integrated) {
        await expectKioskErrorAsync(
          () =>
            harness.processor.saveCard({
              idempotencyKey: nextKey("save"),
              source: harness.card("approve"),
              clientId: "client-contract",
            }),
          ErrorCodes.PROCESSOR_NOT_INTEGRATED,
        );
        await expectKioskErrorAsync(
          () =>
            harness.processor.chargeSavedCard({
              idempotencyKey: nextKey("saved"),
              token: "tok_none",
              amount: { minor: 900, currency: harness.currency },
              reference: reference(),
            }),
          ErrorCodes.PROCESSOR_NOT_INTEGRATED,
        );
        return;
      }
      const saved = await harness.processor.saveCard({
        idempotencyKey: nextKey("save"),
        source: integrated().card("approve"),
        clientId: "client-contract",
      });
      expect(saved.token).not.toBe("");
      expect(saved.last4).toMatch(/^\d{4}$/);
      const key = nextKey("saved");
      const charge = await harness.processor.chargeSavedCard({
        idempotencyKey: key,
        token: saved.token,
        amount: { minor: 900, currency: harness.currency },
        reference: reference(),
      });
      expect(charge).toMatchObject({ amount: { minor: 900 }, card: { last4: saved.last4 } });
      expect(await integrated().chargesWithKey(key)).toBe(1);
    });

    it("saves an approved sale's card only with the client's consent, and charges it later", async () => {
      if (!harness.integrated || !harness.savesCardFromSale) return;
      const plain = await harness.processor.sale({
        idempotencyKey: nextKey("sale-no-consent"),
        amount: { minor: 1_100, currency: harness.currency },
        source: integrated().card("approve"),
        reference: reference(),
      });
      expect(plain.token).toBeNull();
      const consented = await harness.processor.sale({
        idempotencyKey: nextKey("sale-save"),
        amount: { minor: 1_200, currency: harness.currency },
        source: integrated().card("approve"),
        reference: reference(),
        saveCardFor: { clientId: "client-contract" },
      });
      expect(consented.token).toEqual(expect.any(String));
      expect(consented.token).not.toBe("");
      const key = nextKey("saved-from-sale");
      const later = await harness.processor.chargeSavedCard({
        idempotencyKey: key,
        token: consented.token ?? "",
        amount: { minor: 1_300, currency: harness.currency },
        reference: reference(),
      });
      expect(later).toMatchObject({ amount: { minor: 1_300 }, card: { last4: consented.card.last4 } });
      expect(await integrated().chargesWithKey(key)).toBe(1);
    });

    it("takes keyed cards on its hosted page, so the kiosk never sees the number, and cancels one", async () => {
      if (!harness.integrated) {
        await expectKioskErrorAsync(
          () =>
            harness.processor.startHostedEntry({
              purpose: "charge",
              amount: { minor: 100, currency: harness.currency },
            }),
          ErrorCodes.PROCESSOR_NOT_INTEGRATED,
        );
        return;
      }
      const entry = await harness.processor.startHostedEntry({
        purpose: "charge",
        amount: { minor: 4_200, currency: harness.currency },
      });
      expect(entry.url).toMatch(/^https?:\/\//);
      expect((await harness.processor.hostedEntryStatus(entry.sessionId)).state).toBe("open");
      const keyer = integrated();
      if (!keyer.keyOnHostedPage) {
        await harness.processor.cancelHostedEntry(entry.sessionId);
        expect((await harness.processor.hostedEntryStatus(entry.sessionId)).state).toBe("cancelled");
        return;
      }
      await keyer.keyOnHostedPage(entry, "approve");
      expect((await harness.processor.hostedEntryStatus(entry.sessionId)).state).toBe("completed");
      const charge = await harness.processor.sale(
        sale({ kind: "hosted", sessionId: entry.sessionId }, 4_200),
      );
      expect(charge.amount.minor).toBe(4_200);
      const cancelled = await harness.processor.startHostedEntry({ purpose: "save", amount: null });
      await harness.processor.cancelHostedEntry(cancelled.sessionId);
      expect((await harness.processor.hostedEntryStatus(cancelled.sessionId)).state).toBe("cancelled");
    });

    it("says whether it can be reached", async () => {
      expect(await harness.processor.reachable()).toBe(harness.integrated);
    });
  });
}

async function expectNothingFound(processor: CardProcessor, key: string): Promise<void> {
  expect(await processor.lookup(key)).toBeNull();
  expect(await processor.lookupRefund(key)).toBeNull();
}
