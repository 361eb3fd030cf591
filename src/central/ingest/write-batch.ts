import { ErrorCodes } from "../../core/error-codes.js";
import type {
  AckOutcome,
  CatalogRequest,
  CommandResult,
  EndOfDayAck,
  RecordAck,
  ReportedConfig,
  SavedCardMessage,
  Telemetry,
} from "../../sync/protocol/messages.js";
import type { CentralDb, Sql } from "../db/central-db.js";
import { type DeadLetter, storableText, writeDeadLetters } from "../dead-letters.js";
import {
  isLastWill,
  type StateInput,
  touchDevices,
  writeCommandResults,
  writeReportedConfigs,
  writeStates,
  writeTelemetry,
} from "../device-writer.js";
import { type EndOfDayInput, writeEndOfDay } from "../end-of-day-writer.js";
import { type RecordInput, writeRecords } from "../record-writer.js";
import { writeSavedCards } from "../saved-card-writer.js";
import type { Incoming } from "./incoming.js";

export interface AckToSend {
  readonly deviceId: string;
  readonly ack: RecordAck;
}

export interface BatchWritten {
  readonly acks: AckToSend[];
  /** What became of each end-of-day item, per batch: sent back to its kiosk. */
  readonly endOfDayAcks: { deviceId: string; ack: EndOfDayAck }[];
  /** Saved-card tokens stored, to acknowledge to each device. */
  readonly savedCardAcks: { deviceId: string; tokens: string[] }[];
  readonly catalogRequests: { deviceId: string; request: CatalogRequest }[];
  readonly outcomes: Record<AckOutcome, number>;
  /** Every dead letter the transaction wrote (each is logged with its code). */
  readonly deadLetters: readonly DeadLetter[];
}

export interface WriteBatchOptions {
  /**
   * What becomes of the batch's dead letters, inside its transaction; by default each is kept as a
   * new row. A replay updates the letter it replays instead (dead-letter-desk.ts).
   */
  readonly settleLetters?: (tx: Sql, letters: readonly DeadLetter[]) => Promise<void>;
}

/** Why a record was refused, as the kiosk keeps it: no card data, bounded like the ack's field. */
const ackReason = (reason: string): string => storableText(reason, 500);

/**
 * Writes what a flush collected — records, device state, telemetry, reported configuration,
 * command results and dead letters — in ONE transaction, and returns the acks to send once it has
 * committed. Nothing is acknowledged for a batch that did not commit.
 */
export async function writeBatch(
  db: CentralDb,
  items: readonly Incoming[],
  at: string,
  options: WriteBatchOptions = {},
): Promise<BatchWritten> {
  const records: RecordInput[] = [];
  const letters: DeadLetter[] = [];
  const devices = new Set<string>();
  const states: StateInput[] = [];
  const telemetry = new Map<string, Telemetry>();
  const configs = new Map<string, ReportedConfig>();
  const results: { deviceId: string; result: CommandResult }[] = [];
  const catalogRequests: { deviceId: string; request: CatalogRequest }[] = [];
  const savedCards: { deviceId: string; cards: readonly SavedCardMessage[] }[] = [];
  const endOfDay: EndOfDayInput[] = [];

  for (const item of items) {
    switch (item.type) {
      case "refused":
        letters.push(item.letter);
        break;
      case "records":
        devices.add(item.deviceId);
        for (const record of item.items) {
          if (record.ok) records.push(record.input);
          else letters.push(record.letter);
        }
        break;
      case "end-of-day":
        devices.add(item.deviceId);
        for (const part of item.items) {
          if (part.ok)
            endOfDay.push({
              item: part.item,
              deviceId: item.deviceId,
              topic: item.topic,
              messageId: item.messageId,
            });
          else letters.push(part.letter);
        }
        break;
      case "other": {
        const { message } = item;
        // Any message is a sighting of its kiosk, except a Last Will: the broker sent that one.
        if (!(message.kind === "state" && isLastWill(message.payload))) devices.add(message.deviceId);
        switch (message.kind) {
          case "state":
            states.push({ deviceId: message.deviceId, state: message.payload });
            break;
          case "telemetry":
            telemetry.set(message.deviceId, message.payload);
            break;
          case "reportedConfig":
            configs.set(message.deviceId, message.payload);
            break;
          case "commandResult":
            results.push({ deviceId: message.deviceId, result: message.payload });
            break;
          case "catalogRequest":
            catalogRequests.push({ deviceId: message.deviceId, request: message.payload });
            break;
          case "savedCards":
            savedCards.push({ deviceId: message.deviceId, cards: message.payload.cards });
            break;
          case "cardOperation":
          case "accountsRequest":
          case "receiptEmail":
            // Card operations, balances and emailed receipts have their own subscriptions, not a batch.
            break;
          case "recordAck":
          case "endOfDayAck":
          case "savedCardsAck":
          case "catalogPage":
          case "catalogChanged":
          case "desiredConfig":
          case "command":
          case "paymentNotice":
          case "cardOperationResult":
          case "invoiceAccounts":
          case "receiptEmailResult":
            // Downlink kinds never pass an uplink read; listed so the switch stays exhaustive.
            break;
        }
        break;
      }
    }
  }

  const written = await db.transaction(async (tx) => {
    const result = await writeRecords(tx, records, at);
    const papers = await writeEndOfDay(tx, endOfDay, at);
    await touchDevices(tx, devices, at);
    await writeStates(tx, states, at);
    await writeTelemetry(tx, telemetry, at);
    await writeReportedConfigs(tx, configs, at);
    await writeCommandResults(tx, results, at);
    await writeSavedCards(tx, savedCards, at);
    const refused = [...letters, ...result.deadLetters, ...papers.deadLetters];
    if (options.settleLetters) await options.settleLetters(tx, refused);
    else await writeDeadLetters(tx, refused, at);
    return { ...result, papers };
  });

  const outcomes: Record<AckOutcome, number> = {
    stored: 0,
    superseded: 0,
    duplicate: 0,
    conflict: 0,
    rejected: 0,
  };
  const byInput = new Map<RecordInput, { outcome: AckOutcome; conflict: string | undefined }>(
    records.map((input, index) => [
      input,
      { outcome: written.outcomes[index] ?? "conflict", conflict: written.conflicts.get(index) },
    ]),
  );
  const acks: AckToSend[] = [];
  for (const item of items) {
    if (item.type !== "records") continue;
    const ack: RecordAck = { batchId: item.messageId, results: [] };
    for (const record of item.items) {
      if (record.ok) {
        const { outcome, conflict } = byInput.get(record.input) ?? {
          outcome: "conflict",
          conflict: undefined,
        };
        outcomes[outcome] += 1;
        ack.results.push({
          recordId: record.input.record.id,
          revision: record.input.record.revision,
          outcome,
          ...(outcome === "conflict"
            ? { code: ErrorCodes.SYNC_RECORD_CONFLICT, reason: ackReason(conflict ?? "conflicting content") }
            : {}),
        });
      } else if (record.ack) {
        outcomes.rejected += 1;
        ack.results.push({
          ...record.ack,
          outcome: "rejected",
          code: storableText(record.letter.code, 64),
          reason: ackReason(record.letter.reason),
        });
      }
    }
    acks.push({ deviceId: item.deviceId, ack });
  }
  const paperOutcome = new Map(endOfDay.map((input, index) => [input, written.papers.outcomes[index]]));
  const endOfDayAcks: { deviceId: string; ack: EndOfDayAck }[] = [];
  let inputIndex = 0;
  for (const item of items) {
    if (item.type !== "end-of-day") continue;
    const ack: EndOfDayAck = { batchId: item.messageId, results: [] };
    for (const part of item.items) {
      if (part.ok) {
        const input = endOfDay[inputIndex++];
        const outcome = (input && paperOutcome.get(input)) ?? "conflict";
        ack.results.push({ id: part.item.id, revision: part.item.revision, outcome });
      } else if (part.ack) {
        ack.results.push({ ...part.ack, outcome: "rejected" });
      }
    }
    endOfDayAcks.push({ deviceId: item.deviceId, ack });
  }
  const savedCardAcks = savedCards.map(({ deviceId, cards }) => ({
    deviceId,
    tokens: cards.map((card) => card.token),
  }));
  return {
    acks,
    endOfDayAcks,
    savedCardAcks,
    catalogRequests,
    outcomes,
    deadLetters: [...letters, ...written.deadLetters, ...written.papers.deadLetters],
  };
}
