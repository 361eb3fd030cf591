import type { Clock } from "../../../core/clock.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { newId as makeId } from "../../../core/ids.js";
import { KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import { ownDictionary } from "../../../core/own-dictionary.js";
import { type SealedSecret, sealSecret } from "../../../core/sealed-secret.js";
import { encodeMessage } from "../../../sync/protocol/codec.js";
import { signDesiredConfig } from "../../../sync/protocol/command-signature.js";
import { type DesiredConfig, SECRET_NAME_PATTERN } from "../../../sync/protocol/messages.js";
import type { CentralDb } from "../../db/central-db.js";
import { writeAudit } from "./audit-log.js";
import type { CommandKeyHolder } from "./command-key.js";
import { deviceKeyOf } from "./device-keys.js";
import type { Downlink } from "./downlink.js";
import type { ManagedSettingsCheck } from "./settings-check.js";

export type ConfigDelivery = "sent" | "broker-unreachable";

const DAY_MS = 86_400_000;

/** Secrets sealed to a kiosk, by name, as a desired configuration carries them. */
export type SealedSecrets = Record<string, SealedSecret>;

/** The settings of a desired configuration: a JSON object of managed paths and their values. */
export type DesiredSettings = Record<string, DesiredConfig["settings"][string]>;

/** Reads the editor's JSON and checks it against the managed settings; every problem is listed. */
export function parseManagedSettings(text: string, check: ManagedSettingsCheck): DesiredSettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_CONFIG_INVALID,
      `The configuration is not JSON: ${(error as Error).message.slice(0, 200)}.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_CONFIG_INVALID,
      'The configuration is a JSON object: { "path": value }.',
    );
  }
  // Own keys only, in a map without a prototype: a "__proto__" key is refused below, never walked.
  const settings = ownDictionary(parsed as Record<string, unknown>) as DesiredSettings;
  const tooLong = Object.keys(settings).filter((path) => path.length > 80);
  const problems = [
    ...tooLong.map((path) => `${path.slice(0, 80)}…: a path is at most 80 characters`),
    ...check.problems(settings),
  ];
  if (problems.length > 0) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_CONFIG_INVALID,
      `The configuration has ${problems.length} problem(s): ${problems.join("; ")}.`,
      { problems: problems.length },
    );
  }
  return settings;
}

/**
 * Desired configurations: each push is the kiosk's next version, recorded with its audit entry
 * before it is published (retained, QoS 1), so a kiosk that is offline gets it when it connects.
 * Each publication is signed with central's command key for that kiosk, version and a validity of
 * `ttlDays` (a kiosk refuses any other). One the broker did not take is signed again and published
 * when the dashboard reconnects.
 */
export class ConfigPusher {
  readonly #newId: () => string;
  /** Pushes to one kiosk run one after another, so the broker retains the newest version last. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: {
      db: CentralDb;
      downlink: Downlink;
      key: CommandKeyHolder;
      /** How long a signed desired configuration stays valid for a kiosk that has not taken it yet. */
      ttlDays: number;
      /** The kiosk configuration's managed settings: what may be pushed. */
      settingsCheck: ManagedSettingsCheck;
      clock: Clock;
      logger: Logger;
      newId?: () => string;
    },
  ) {
    this.#newId = deps.newId ?? makeId;
  }

  /**
   * `baseVersion` is the version the editor started from (null: none yet): if someone pushed
   * another since, this push is refused rather than silently replacing theirs.
   */
  async push(request: {
    deviceId: string;
    settingsText: string;
    baseVersion: number | null;
    user: string;
  }): Promise<{ version: number; delivery: ConfigDelivery }> {
    const settings = parseManagedSettings(request.settingsText, this.deps.settingsCheck);
    // Nothing is recorded that central cannot sign: without the key, the push is refused first.
    this.deps.key.get();
    return this.#serialized(request.deviceId, () => this.#push({ ...request, settings }));
  }

  /**
   * Pushes settings over the kiosk's own newest desired settings (a group's configuration): its
   * next version is what it had, with these paths replaced (`merge`). Read and pushed in this
   * kiosk's turn, so a push of its own is never lost; the result is checked like any push.
   */
  async pushOver(request: {
    deviceId: string;
    settings: DesiredSettings;
    merge: (base: DesiredSettings, over: DesiredSettings) => DesiredSettings;
    user: string;
  }): Promise<{ version: number; delivery: ConfigDelivery }> {
    this.deps.key.get();
    return this.#serialized(request.deviceId, async () => {
      const [current] = await this.deps.db.query<{ version: number; settings: DesiredSettings }>(
        "SELECT version, settings FROM desired_configs WHERE device_id = $1 ORDER BY version DESC LIMIT 1",
        [request.deviceId],
      );
      const settings = request.merge(current?.settings ?? {}, request.settings);
      const problems = this.deps.settingsCheck.problems(settings);
      if (problems.length > 0) {
        throw new KioskError(
          ErrorCodes.DASHBOARD_CONFIG_INVALID,
          `With this kiosk's own settings, the configuration has ${problems.length} problem(s): ${problems.join("; ")}.`,
          { deviceId: request.deviceId },
        );
      }
      return this.#push({
        deviceId: request.deviceId,
        settings,
        baseVersion: current?.version ?? null,
        user: request.user,
      });
    });
  }

  async #serialized<T>(deviceId: string, work: () => Promise<T>): Promise<T> {
    const before = this.#queues.get(deviceId) ?? Promise.resolve();
    const mine = before.catch(() => {}).then(work);
    this.#queues.set(deviceId, mine);
    try {
      return await mine;
    } finally {
      if (this.#queues.get(deviceId) === mine) this.#queues.delete(deviceId);
    }
  }

  async #push(request: {
    deviceId: string;
    settings: DesiredSettings;
    baseVersion: number | null;
    user: string;
  }): Promise<{ version: number; delivery: ConfigDelivery }> {
    const { settings } = request;
    const { db, clock } = this.deps;
    const issuedAt = clock.now().toISOString();
    const version = await db.transaction(async (tx) => {
      const [device] = await tx.query("SELECT 1 FROM devices WHERE device_id = $1 FOR UPDATE", [
        request.deviceId,
      ]);
      if (!device) {
        throw new KioskError(
          ErrorCodes.DASHBOARD_KIOSK_UNKNOWN,
          `Central has never heard from ${request.deviceId}.`,
          {
            deviceId: request.deviceId,
          },
        );
      }
      const [current] = await tx.query<{ version: number | null; issued_by: string | null }>(
        `SELECT version, issued_by FROM desired_configs WHERE device_id = $1 ORDER BY version DESC LIMIT 1`,
        [request.deviceId],
      );
      const latest = current?.version ?? null;
      if (latest !== request.baseVersion) {
        throw new KioskError(
          ErrorCodes.DASHBOARD_CONFIG_INVALID,
          `Version ${latest} was pushed by ${current?.issued_by ?? "someone"} while you edited: review it, then push again.`,
          { deviceId: request.deviceId },
        );
      }
      const next = (latest ?? 0) + 1;
      await tx.query(
        `INSERT INTO desired_configs (device_id, version, settings, issued_by, issued_at, delivery)
         VALUES ($1, $2, $3::jsonb, $4, $5::timestamptz, 'sending')`,
        [request.deviceId, next, JSON.stringify(settings), request.user, issuedAt],
      );
      await writeAudit(tx, {
        at: issuedAt,
        userName: request.user,
        action: "desired-config",
        deviceId: request.deviceId,
        commandId: null,
        detail: { version: next, settings },
      });
      return next;
    });
    const delivery = await this.#publish(request.deviceId, version, settings, request.user);
    if (delivery === "sent") {
      this.deps.logger.info(
        `desired configuration v${version} for ${request.deviceId} by ${request.user}: sent`,
      );
    } else {
      const code = ErrorCodes.DASHBOARD_BROKER_UNREACHABLE;
      this.deps.logger.error(
        `[${code}] desired configuration v${version} for ${request.deviceId} not taken by the broker; it is sent again when central reconnects`,
        { code },
      );
    }
    return { version, delivery };
  }

  /**
   * Delivers a secret (a processor's key) to one kiosk: sealed to its device key at once — the value
   * is never stored, logged or audited, only its name — as the kiosk's next desired configuration,
   * with the settings of the one before, signed and published like any other.
   */
  async pushSecret(request: {
    deviceId: string;
    name: string;
    value: string;
    user: string;
  }): Promise<{ version: number; delivery: ConfigDelivery }> {
    if (!SECRET_NAME_PATTERN.test(request.name) || request.name === "device-key") {
      throw new KioskError(
        ErrorCodes.DASHBOARD_CONFIG_INVALID,
        "A secret's name is lowercase letters, digits and dashes.",
      );
    }
    if (request.value.length === 0 || request.value.length > 4096) {
      throw new KioskError(ErrorCodes.DASHBOARD_CONFIG_INVALID, "A secret is 1 to 4,096 characters.");
    }
    this.deps.key.get();
    return this.#serialized(request.deviceId, async () => {
      const { db, clock } = this.deps;
      const issuedAt = clock.now().toISOString();
      const pushed = await db.transaction(async (tx) => {
        const [device] = await tx.query("SELECT 1 FROM devices WHERE device_id = $1 FOR UPDATE", [
          request.deviceId,
        ]);
        if (!device) {
          throw new KioskError(
            ErrorCodes.DASHBOARD_KIOSK_UNKNOWN,
            `Central has never heard from ${request.deviceId}.`,
            {
              deviceId: request.deviceId,
            },
          );
        }
        const sealed: SealedSecrets = {
          [request.name]: sealSecret(request.value, await deviceKeyOf(tx, request.deviceId), {
            deviceId: request.deviceId,
            name: request.name,
          }),
        };
        const [current] = await tx.query<{ version: number; settings: DesiredSettings }>(
          "SELECT version, settings FROM desired_configs WHERE device_id = $1 ORDER BY version DESC LIMIT 1",
          [request.deviceId],
        );
        const version = (current?.version ?? 0) + 1;
        const settings = current?.settings ?? {};
        await tx.query(
          `INSERT INTO desired_configs (device_id, version, settings, issued_by, issued_at, delivery, secrets)
           VALUES ($1, $2, $3::jsonb, $4, $5::timestamptz, 'sending', $6::jsonb)`,
          [
            request.deviceId,
            version,
            JSON.stringify(settings),
            request.user,
            issuedAt,
            JSON.stringify(sealed),
          ],
        );
        await writeAudit(tx, {
          at: issuedAt,
          userName: request.user,
          action: "desired-config",
          deviceId: request.deviceId,
          commandId: null,
          detail: { version, secrets: [request.name] },
        });
        return { version, settings, sealed };
      });
      const delivery = await this.#publish(
        request.deviceId,
        pushed.version,
        pushed.settings,
        request.user,
        pushed.sealed,
      );
      this.deps.logger.info(
        `secret ${request.name} for ${request.deviceId} by ${request.user} in desired configuration v${pushed.version}: ${delivery}`,
      );
      return { version: pushed.version, delivery };
    });
  }

  /** Publishes every kiosk's newest configuration that the broker has not taken yet. */
  async publishPending(): Promise<number> {
    const pending = await this.deps.db.query<{ device_id: string }>(
      `SELECT device_id FROM (
         SELECT DISTINCT ON (device_id) device_id, delivery FROM desired_configs ORDER BY device_id, version DESC
       ) newest WHERE delivery <> 'sent'`,
    );
    let sent = 0;
    for (const { device_id: deviceId } of pending) {
      const delivery = await this.#serialized(deviceId, async () => {
        // Read again in turn: a push since the list was made is newer, and already published.
        const [row] = await this.deps.db.query<{
          version: number;
          // Stored from a checked push: JSON as it was sent.
          settings: DesiredSettings;
          issued_by: string;
          delivery: string;
          secrets: SealedSecrets | null;
        }>(
          "SELECT version, settings, issued_by, delivery, secrets FROM desired_configs WHERE device_id = $1 ORDER BY version DESC LIMIT 1",
          [deviceId],
        );
        if (!row || row.delivery === "sent") return null;
        return this.#publish(deviceId, row.version, row.settings, row.issued_by, row.secrets);
      });
      if (delivery === "sent") sent += 1;
    }
    if (sent > 0)
      this.deps.logger.info(`published ${sent} desired configuration(s) the broker had not taken`);
    return sent;
  }

  /** Signs the version for this kiosk, valid from now for `ttlDays`, and publishes it retained. */
  async #publish(
    deviceId: string,
    version: number,
    settings: DesiredSettings,
    issuedBy: string,
    secrets: SealedSecrets | null = null,
  ): Promise<ConfigDelivery> {
    const now = this.deps.clock.now();
    const desired = signDesiredConfig(
      {
        deviceId,
        version,
        settings,
        ...(secrets && Object.keys(secrets).length > 0 ? { secrets } : {}),
        issuedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + this.deps.ttlDays * DAY_MS).toISOString(),
        issuedBy,
      },
      this.deps.key.get(),
    );
    const message = encodeMessage("desiredConfig", deviceId, desired, {
      messageId: this.#newId(),
      sentAt: now.toISOString(),
    });
    const delivery: ConfigDelivery = (await this.deps.downlink.publish(message))
      ? "sent"
      : "broker-unreachable";
    await this.deps.db.query(
      "UPDATE desired_configs SET delivery = $3 WHERE device_id = $1 AND version = $2",
      [deviceId, version, delivery],
    );
    return delivery;
  }
}
