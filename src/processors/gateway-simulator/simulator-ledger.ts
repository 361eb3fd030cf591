import { randomBytes } from "node:crypto";
import type { z } from "zod";
import type { chargeSchema, refundSchema, wireCardSchema } from "../gateway/api.js";
import type { CardBehaviour } from "./fixtures/test-cards.js";

export type SimCharge = z.infer<typeof chargeSchema>;
export type SimRefund = z.infer<typeof refundSchema>;
export type SimCard = z.infer<typeof wireCardSchema>;

/** A card the simulator holds for a token: what it looks like and how it behaves, never its number. */
export interface StoredCard {
  readonly card: SimCard;
  readonly behaviour: CardBehaviour;
}

export interface HostedSession {
  id: string;
  purpose: "charge" | "save";
  amountMinor: number | null;
  currency: string | null;
  status: "open" | "completed" | "cancelled" | "expired";
  token: string | null;
  card: SimCard | null;
  expiresAt: number;
}

export const newSimId = (prefix: string): string => `${prefix}_${randomBytes(12).toString("hex")}`;

/**
 * Everything the simulator has done, in memory: the ledger of charges and refunds tests read back
 * through GET /v1/ledger, the tokens it issued and the hosted-entry sessions.
 */
export class SimulatorLedger {
  readonly charges = new Map<string, SimCharge>();
  readonly chargesByKey = new Map<string, string>();
  readonly refunds: SimRefund[] = [];
  readonly tokens = new Map<string, StoredCard>();
  readonly sessions = new Map<string, HostedSession>();

  addCharge(charge: SimCharge): void {
    this.charges.set(charge.id, charge);
    this.chargesByKey.set(charge.idempotency_key, charge.id);
  }

  chargeByKey(key: string): SimCharge | null {
    const id = this.chargesByKey.get(key);
    return id ? (this.charges.get(id) ?? null) : null;
  }

  snapshot(): { charges: SimCharge[]; refunds: SimRefund[] } {
    return { charges: [...this.charges.values()], refunds: [...this.refunds] };
  }
}
