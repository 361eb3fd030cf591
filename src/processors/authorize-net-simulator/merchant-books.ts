/**
 * The simulated merchant account's books, in memory: every transaction, the batches settlement
 * made, customer profiles and hosted-page tokens. It never holds a card number: a card is its BIN,
 * last 4, expiry and brand, plus a one-way fingerprint the duplicate window compares.
 */

/** A card as the simulator keeps it. */
export interface SimCard {
  readonly bin: string;
  readonly last4: string;
  /** "MMYY", or null when the card came as reader ciphertext. */
  readonly expiry: string | null;
  readonly accountType: string;
  /** SHA-256 of the number (or of the ciphertext): what the duplicate window matches on. */
  readonly fingerprint: string;
  /** Which of the sandbox's behaviour cards it is, if any (kept because the number is not). */
  readonly sandboxCard: SandboxCard | null;
}

export type SandboxCard = "reason-code" | "hang" | "slow" | { readonly reason: number };

export type SimTransactionType = "authCaptureTransaction" | "authOnlyTransaction" | "refundTransaction";

export interface SimTransaction {
  readonly transId: string;
  readonly type: SimTransactionType;
  status: string;
  readonly submittedAt: Date;
  readonly amountMinor: number;
  readonly invoiceNumber: string | null;
  readonly card: SimCard;
  readonly authCode: string;
  readonly responseCode: "1" | "2" | "3" | "4";
  readonly reasonCode: number;
  /** The charge a refund returns money to. */
  readonly refTransId: string | null;
  refundedMinor: number;
  batchId: string | null;
  readonly marketType: "eCommerce" | "Retail";
  readonly profile: { readonly customerProfileId: string; readonly paymentProfileId: string } | null;
  /** What a duplicate must match, and until when. */
  readonly duplicateFingerprint: string;
  readonly duplicateUntil: Date;
}

export interface SimBatch {
  readonly batchId: string;
  readonly settledAt: Date;
  readonly transIds: readonly string[];
}

export interface SimPaymentProfile {
  readonly paymentProfileId: string;
  readonly card: SimCard;
}

export interface SimCustomerProfile {
  readonly customerProfileId: string;
  readonly merchantCustomerId: string | null;
  readonly description: string | null;
  readonly paymentProfiles: SimPaymentProfile[];
}

export interface HostedProfileToken {
  readonly token: string;
  readonly customerProfileId: string;
  readonly expiresAt: Date;
  used: boolean;
}

/** Transaction statuses settlement moves forward, and what each becomes. */
const SETTLES_TO: Readonly<Record<string, string>> = {
  capturedPendingSettlement: "settledSuccessfully",
  refundPendingSettlement: "refundSettledSuccessfully",
  // Authorizations never captured, and held ones, are not settled; declines and voids are
  // reported in the batch with their status unchanged.
  declined: "declined",
  voided: "voided",
};

export class MerchantBooks {
  readonly transactions = new Map<string, SimTransaction>();
  readonly batches: SimBatch[] = [];
  readonly profiles = new Map<string, SimCustomerProfile>();
  readonly hostedTokens = new Map<string, HostedProfileToken>();
  #nextTransId = 60_000_000_001;
  #nextBatchId = 9_000_001;
  #nextProfileId = 500_000_001;
  #lastSettlement: Date;

  constructor(
    private readonly settlementMinuteUtc: number,
    now: Date,
  ) {
    this.#lastSettlement = now;
  }

  newTransId(): string {
    return String(this.#nextTransId++);
  }

  newProfileId(): string {
    return String(this.#nextProfileId++);
  }

  add(transaction: SimTransaction): void {
    this.transactions.set(transaction.transId, transaction);
  }

  /** The transaction a duplicate of this request would be, if one is still inside its window. */
  duplicateOf(fingerprint: string, now: Date): SimTransaction | null {
    for (const transaction of this.transactions.values()) {
      if (transaction.duplicateFingerprint === fingerprint && transaction.duplicateUntil > now) {
        return transaction;
      }
    }
    return null;
  }

  /** Settles when the daily cut-off has passed since the last settlement (the account's "cut-off time"). */
  settleIfDue(now: Date): void {
    const cutOff = new Date(now);
    cutOff.setUTCHours(0, this.settlementMinuteUtc, 0, 0);
    if (cutOff > now) cutOff.setUTCDate(cutOff.getUTCDate() - 1);
    if (cutOff > this.#lastSettlement) this.settle(cutOff);
  }

  /** Settles every transaction submitted before `at` into one batch; returns it, or null if none. */
  settle(at: Date): SimBatch | null {
    this.#lastSettlement = at;
    const settled: string[] = [];
    for (const transaction of this.transactions.values()) {
      if (transaction.batchId !== null || transaction.submittedAt > at) continue;
      const next = SETTLES_TO[transaction.status];
      if (next === undefined) continue;
      transaction.status = next;
      settled.push(transaction.transId);
    }
    if (settled.length === 0) return null;
    const batch: SimBatch = { batchId: String(this.#nextBatchId++), settledAt: at, transIds: settled };
    for (const transId of settled) {
      const transaction = this.transactions.get(transId);
      if (transaction) transaction.batchId = batch.batchId;
    }
    this.batches.push(batch);
    return batch;
  }
}
