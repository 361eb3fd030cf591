import { ErrorCodes } from "../../src/core/error-codes.js";
import { KioskError } from "../../src/core/kiosk-error.js";
import type { CardProcessor } from "../../src/payments/card-processor.js";

/**
 * How the next calls that move money go. answer: as the processor answers · lost: the processor acts,
 * then the answer never arrives · down: unreachable, nothing made · crash-before / crash-after: the
 * kiosk dies before the call leaves, or after the processor acted and before its answer is written.
 */
export type CallScript = "answer" | "lost" | "down" | "crash-before" | "crash-after";

/** Thrown into the kiosk's code when the test kills it: nothing after it may write. */
export class KioskCrashed extends Error {
  override readonly name = "KioskCrashed";
}

/**
 * A processor in front of a real one (the Authorize.Net processor talking to its simulator) that can lose
 * answers, be unreachable, and kill the kiosk around a call, at once rather than after a timeout,
 * so a model test can run hundreds of sequences. What reaches the real processor is real.
 */
export class ScriptedProcessor implements CardProcessor {
  readonly kind = "gateway" as const;
  calls: CallScript = "answer";
  lookUps: "answer" | "down" = "answer";
  /** Saved-card charges go to this token instead, so a test can pick the card per try. */
  savedCardToken: string | null = null;
  #dead = false;

  constructor(
    private readonly real: CardProcessor,
    private readonly onCrash: () => void,
  ) {}

  /** A new kiosk process: the previous one's crash is over. */
  revive(): void {
    this.#dead = false;
    this.calls = "answer";
    this.lookUps = "answer";
  }

  sale: CardProcessor["sale"] = (request) => this.#moveMoney(() => this.real.sale(request));
  refund: CardProcessor["refund"] = (request) => this.#moveMoney(() => this.real.refund(request));
  void: CardProcessor["void"] = (request) => this.#moveMoney(() => this.real.void(request));
  chargeSavedCard: CardProcessor["chargeSavedCard"] = (request) =>
    this.#moveMoney(() =>
      this.real.chargeSavedCard({ ...request, token: this.savedCardToken ?? request.token }),
    );
  lookup: CardProcessor["lookup"] = (key) => this.#lookUp(() => this.real.lookup(key));
  lookupRefund: CardProcessor["lookupRefund"] = (key) => this.#lookUp(() => this.real.lookupRefund(key));
  saveCard: CardProcessor["saveCard"] = (request) => this.real.saveCard(request);
  startHostedEntry: CardProcessor["startHostedEntry"] = (request) => this.real.startHostedEntry(request);
  hostedEntryStatus: CardProcessor["hostedEntryStatus"] = (id) => this.real.hostedEntryStatus(id);
  cancelHostedEntry: CardProcessor["cancelHostedEntry"] = (id) => this.real.cancelHostedEntry(id);
  reachable: CardProcessor["reachable"] = () => Promise.resolve(this.calls !== "down");

  async #moveMoney<T>(call: () => Promise<T>): Promise<T> {
    if (this.#dead) throw new KioskCrashed("the kiosk is down");
    switch (this.calls) {
      case "answer":
        return call();
      case "lost":
        await call().catch(() => undefined);
        throw new KioskError(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN, "The answer was lost (scripted).");
      case "down":
        throw new KioskError(ErrorCodes.PROCESSOR_UNAVAILABLE, "The processor is down (scripted).");
      case "crash-before":
        this.#crash();
        throw new KioskCrashed("killed before the call");
      case "crash-after":
        await call().catch(() => undefined);
        this.#crash();
        throw new KioskCrashed("killed after the call");
    }
  }

  async #lookUp<T>(call: () => Promise<T>): Promise<T> {
    if (this.#dead) throw new KioskCrashed("the kiosk is down");
    if (this.lookUps === "down") {
      throw new KioskError(ErrorCodes.PROCESSOR_UNAVAILABLE, "The processor is down (scripted).");
    }
    return call();
  }

  #crash(): void {
    this.#dead = true;
    this.onCrash();
  }
}
