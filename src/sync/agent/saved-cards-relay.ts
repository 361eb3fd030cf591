import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { SavedCardBook } from "../../store/saved-card-book.js";
import { encodeMessage, type Outgoing } from "../protocol/codec.js";
import { MAX_SAVED_CARDS, type SavedCardsAck } from "../protocol/messages.js";

export interface SavedCardsRelayDeps {
  readonly cards: SavedCardBook;
  readonly deviceId: string;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  /** How often an attached relay looks for changes to send. */
  readonly intervalMs: number;
}

/**
 * Sends clients' saved-card changes (token, brand, last 4, expiry) to central until central
 * acknowledges them. Rare and small, so each round simply sends everything not yet acknowledged.
 */
export class SavedCardsRelay {
  #send: ((message: Outgoing) => void) | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: SavedCardsRelayDeps) {}

  attach(send: (message: Outgoing) => void): void {
    this.#send = send;
    this.flush();
    this.#timer = setInterval(() => this.flush(), this.deps.intervalMs);
  }

  detach(): void {
    this.#send = null;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  flush(): void {
    const send = this.#send;
    if (!send) return;
    const changes = this.deps.cards.unsynced(MAX_SAVED_CARDS);
    if (changes.length === 0) return;
    const cards = changes.map((card) => ({
      token: card.token,
      clientId: card.clientId,
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expiry?.month ?? null,
      expYear: card.expiry?.year ?? null,
      createdAt: card.createdAt,
      removedAt: card.removedAt,
      consentBy: card.consent?.by ?? null,
      consentAt: card.consent?.at ?? null,
    }));
    const meta = { messageId: this.deps.newId(), sentAt: this.deps.clock.now().toISOString() };
    send(encodeMessage("savedCards", this.deps.deviceId, { cards }, meta));
  }

  acknowledge(ack: SavedCardsAck): void {
    this.deps.cards.markSynced(ack.tokens, this.deps.clock.now().toISOString());
    this.deps.logger.debug(() => `central stored ${ack.tokens.length} saved card change(s)`);
  }
}
