import type { z } from "zod";
import { accountsRequestSchema, invoiceAccountsSchema } from "./account-messages.js";
import {
  cardOperationResultSchema,
  cardOperationSchema,
  catalogChangedSchema,
  catalogPageSchema,
  catalogRequestSchema,
  commandResultSchema,
  commandSchema,
  desiredConfigSchema,
  deviceStateSchema,
  endOfDayAckSchema,
  endOfDayBatchSchema,
  paymentNoticeSchema,
  recordAckSchema,
  recordBatchSchema,
  reportedConfigSchema,
  savedCardsAckSchema,
  savedCardsSchema,
  telemetrySchema,
} from "./messages.js";
import { receiptEmailResultSchema, receiptEmailSchema } from "./receipt-messages.js";
import type { Direction } from "./topics.js";

interface MessageSpec {
  readonly direction: Direction;
  /** The topic after `{deviceId}/{direction}/`. */
  readonly suffix: string;
  readonly schema: z.ZodType;
  readonly qos: 0 | 1;
  /** Retained: a subscriber that arrives later gets the last one (availability, configuration). */
  readonly retain: boolean;
}

/** Every message of protocol v1: its topic, payload schema, QoS and whether it is retained. */
export const MESSAGES = {
  records: { direction: "up", suffix: "records", schema: recordBatchSchema, qos: 1, retain: false },
  state: { direction: "up", suffix: "state", schema: deviceStateSchema, qos: 1, retain: true },
  telemetry: { direction: "up", suffix: "telemetry", schema: telemetrySchema, qos: 0, retain: false },
  catalogRequest: {
    direction: "up",
    suffix: "catalog/request",
    schema: catalogRequestSchema,
    qos: 1,
    retain: false,
  },
  reportedConfig: {
    direction: "up",
    suffix: "config/reported",
    schema: reportedConfigSchema,
    qos: 1,
    retain: true,
  },
  commandResult: {
    direction: "up",
    suffix: "commands/result",
    schema: commandResultSchema,
    qos: 1,
    retain: false,
  },
  savedCards: { direction: "up", suffix: "cards/saved", schema: savedCardsSchema, qos: 1, retain: false },
  cardOperation: {
    direction: "up",
    suffix: "cards/operations",
    schema: cardOperationSchema,
    qos: 1,
    retain: false,
  },
  endOfDay: { direction: "up", suffix: "end-of-day", schema: endOfDayBatchSchema, qos: 1, retain: false },
  endOfDayAck: {
    direction: "down",
    suffix: "end-of-day/ack",
    schema: endOfDayAckSchema,
    qos: 1,
    retain: false,
  },
  accountsRequest: {
    direction: "up",
    suffix: "accounts/request",
    schema: accountsRequestSchema,
    qos: 1,
    retain: false,
  },
  receiptEmail: {
    direction: "up",
    suffix: "receipts/email",
    schema: receiptEmailSchema,
    qos: 1,
    retain: false,
  },
  recordAck: { direction: "down", suffix: "acks", schema: recordAckSchema, qos: 1, retain: false },
  savedCardsAck: {
    direction: "down",
    suffix: "cards/ack",
    schema: savedCardsAckSchema,
    qos: 1,
    retain: false,
  },
  catalogPage: {
    direction: "down",
    suffix: "catalog/page",
    schema: catalogPageSchema,
    qos: 1,
    retain: false,
  },
  catalogChanged: {
    direction: "down",
    suffix: "catalog/changed",
    schema: catalogChangedSchema,
    qos: 1,
    retain: false,
  },
  desiredConfig: {
    direction: "down",
    suffix: "config/desired",
    schema: desiredConfigSchema,
    qos: 1,
    retain: true,
  },
  command: { direction: "down", suffix: "commands", schema: commandSchema, qos: 1, retain: false },
  cardOperationResult: {
    direction: "down",
    suffix: "cards/operations/result",
    schema: cardOperationResultSchema,
    qos: 1,
    retain: false,
  },
  paymentNotice: {
    direction: "down",
    suffix: "payments/notice",
    schema: paymentNoticeSchema,
    qos: 1,
    retain: false,
  },
  invoiceAccounts: {
    direction: "down",
    suffix: "accounts",
    schema: invoiceAccountsSchema,
    qos: 1,
    retain: false,
  },
  receiptEmailResult: {
    direction: "down",
    suffix: "receipts/email/result",
    schema: receiptEmailResultSchema,
    qos: 1,
    retain: false,
  },
} as const satisfies Record<string, MessageSpec>;

export type MessageKind = keyof typeof MESSAGES;
export type Payload<K extends MessageKind> = z.infer<(typeof MESSAGES)[K]["schema"]>;
export type UplinkKind = {
  [K in MessageKind]: (typeof MESSAGES)[K]["direction"] extends "up" ? K : never;
}[MessageKind];
export type DownlinkKind = Exclude<MessageKind, UplinkKind>;

const BY_TOPIC = new Map<string, MessageKind>(
  (Object.keys(MESSAGES) as MessageKind[]).map((kind) => [
    `${MESSAGES[kind].direction}/${MESSAGES[kind].suffix}`,
    kind,
  ]),
);

/** The message kind a topic's direction and suffix name; null for a topic this version does not know. */
export function kindOf(direction: Direction, suffix: string): MessageKind | null {
  return BY_TOPIC.get(`${direction}/${suffix}`) ?? null;
}
