import type { KeyObject } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import type { BackoffPolicy } from "../../sync/mqtt/backoff.js";
import { type BrokerEndpoint, MqttConnection } from "../../sync/mqtt/mqtt-connection.js";
import { type InvoiceAccounts, MAX_ACCOUNTS_PAGE } from "../../sync/protocol/account-messages.js";
import { decodeMessage, encodeMessage } from "../../sync/protocol/codec.js";
import { signInvoiceAccounts } from "../../sync/protocol/command-signature.js";
import { TOPIC_ROOT } from "../../sync/protocol/topics.js";
import type { CentralDb } from "../db/central-db.js";
import { SigningKey } from "../signing-key.js";
import {
  accountsAfter,
  type CentralAccount,
  elsewhereFor,
  markPushed,
  pushTargets,
  unpushedAccounts,
} from "./account-queries.js";

/** An accounts request is small; anything bigger is not one. */
const MAX_REQUEST_BYTES = 4 * 1024;

export interface BalancePusherDeps {
  readonly db: CentralDb;
  readonly endpoint: BrokerEndpoint;
  /** null subscribes plainly (the embedded broker has no shared subscriptions). */
  readonly shareGroup: string | null;
  readonly backoff: BackoffPolicy;
  /** Central's command key; throws a coded error when there is none. */
  readonly key: () => KeyObject;
  readonly pollIntervalMs: number;
  readonly ttlSeconds: number;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly newId: () => string;
}

/** Every kiosk's requests for the accounts it missed. */
export function accountsRequestFilter(shareGroup: string | null): string {
  const filter = `${TOPIC_ROOT}/+/up/accounts/request`;
  return shareGroup === null ? filter : `$share/${shareGroup}/${filter}`;
}

/**
 * Keeps every kiosk's balances current. Every few hundred milliseconds it takes the invoices whose
 * account changed (any writer marks them in the same transaction: ingest, the import, the API),
 * and sends each kiosk that is not offline, signed for it, what was paid on them away from that
 * kiosk; only once the broker took every message are they marked pushed. A kiosk that was away
 * asks on connecting for the changes after its cursor and gets them a signed page at a time.
 */
export class BalancePusher {
  readonly #connection: MqttConnection;
  #timer: NodeJS.Timeout | null = null;
  #pushing = false;
  /** Central's key, or null (said once) when it has none: nothing is marked pushed meanwhile. */
  readonly #key: SigningKey;
  /** Said once when pushing starts failing (every poll would repeat it), and once when it recovers. */
  #failing = false;
  pushed = 0;

  constructor(private readonly deps: BalancePusherDeps) {
    this.#key = new SigningKey(deps.key, deps.logger, {
      code: ErrorCodes.CENTRAL_ACCOUNTS_NOT_SIGNED,
      what: "invoice accounts are not sent to kiosks",
    });
    this.#connection = new MqttConnection({
      endpoint: deps.endpoint,
      clientId: `central-balances-${deps.newId().slice(-12)}`,
      clean: true,
      backoff: deps.backoff,
      logger: deps.logger.child("mqtt"),
      onConnected: ({ client }) => {
        client.subscribe(accountsRequestFilter(deps.shareGroup), { qos: 1 }, (error) => {
          if (error) deps.logger.error(`cannot subscribe to accounts requests: ${error.message}`);
        });
      },
      onDisconnected: () => {},
      onMessage: (topic, payload) => {
        this.#answer(topic, payload).catch((error: unknown) =>
          deps.logger.warn(`an accounts request was not answered: ${(error as Error).message}`),
        );
      },
    });
  }

  start(): void {
    this.#connection.start();
    this.#timer = setInterval(() => {
      void this.pushNow();
    }, this.deps.pollIntervalMs);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#connection.stop();
  }

  /** Pushes what changed since the last push; resolves with how many accounts went out. */
  async pushNow(): Promise<number> {
    const session = this.#connection.session;
    if (this.#pushing || !session) return 0;
    this.#pushing = true;
    try {
      const accounts = await unpushedAccounts(this.deps.db, MAX_ACCOUNTS_PAGE);
      if (accounts.length === 0) return 0;
      const key = this.#key.get();
      if (!key) return 0;
      const targets = await pushTargets(this.deps.db);
      await Promise.all(
        targets.map((deviceId) => {
          const message = this.#message(deviceId, accounts, null, key);
          return session.client.publishAsync(message.topic, message.body, { qos: message.qos });
        }),
      );
      await markPushed(this.deps.db, accounts);
      this.#recovered();
      this.pushed += accounts.length;
      this.deps.logger.debug(() => `pushed ${accounts.length} account(s) to ${targets.length} kiosk(s)`);
      return accounts.length;
    } catch (error) {
      if (!this.#failing)
        this.deps.logger.warn(
          `invoice accounts not pushed yet (tried again every ${this.deps.pollIntervalMs} ms): ${(error as Error).message}`,
        );
      this.#failing = true;
      return 0;
    } finally {
      this.#pushing = false;
    }
  }

  #recovered(): void {
    if (this.#failing) this.deps.logger.info("invoice accounts are pushed again");
    this.#failing = false;
  }

  async #answer(topic: string, payload: Buffer): Promise<void> {
    const decoded = decodeMessage(topic, payload, { direction: "up", maxBytes: MAX_REQUEST_BYTES });
    if (!decoded.ok) {
      this.deps.logger.warn(
        `[${decoded.rejection.code}] accounts request refused: ${decoded.rejection.reason}`,
      );
      return;
    }
    if (decoded.value.kind !== "accountsRequest") return;
    const { deviceId, payload: request } = decoded.value;
    const key = this.#key.get();
    const session = this.#connection.session;
    if (!key || !session) return;
    const { accounts, more } = await accountsAfter(this.deps.db, request.since, request.limit);
    const last = accounts[accounts.length - 1];
    const page = { since: request.since, cursor: last ? last.seq : request.since, more };
    const message = this.#message(deviceId, accounts, page, key);
    await session.client.publishAsync(message.topic, message.body, { qos: message.qos });
  }

  #message(
    deviceId: string,
    accounts: readonly CentralAccount[],
    page: InvoiceAccounts["page"],
    key: KeyObject,
  ): ReturnType<typeof encodeMessage> {
    const now = this.deps.clock.now();
    const signed = signInvoiceAccounts(
      {
        deviceId,
        accounts: accounts.map((account) => ({
          invoiceId: account.invoiceId,
          seq: account.seq,
          currency: account.currency,
          ...elsewhereFor(account, deviceId),
          asOf: now.toISOString(),
        })),
        page,
        issuedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + this.deps.ttlSeconds * 1000).toISOString(),
      },
      key,
    );
    return encodeMessage("invoiceAccounts", deviceId, signed, {
      messageId: this.deps.newId(),
      sentAt: now.toISOString(),
    });
  }
}
