import { Counter, Histogram, type Registry } from "prom-client";
import { ErrorCodes } from "../../core/error-codes.js";
import type { Incoming } from "../ingest/incoming.js";
import type { IngestObserver } from "../ingest/ingest-observer.js";
import type { BatchWritten } from "../ingest/write-batch.js";

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCodes));

/** A dead letter's code as a label: one of ours, else OTHER, so no sender can invent label values. */
export const codeLabel = (code: string): string => (KNOWN_CODES.has(code) ? code : "OTHER");

/**
 * What this process's ingest workers did, counted as they commit: messages by kind, records by
 * outcome, dead letters by code, and how long a payment took from the kiosk to central's database.
 * Counters are per central process; Prometheus sums them across processes.
 */
export class IngestMetrics implements IngestObserver {
  readonly #messages: Counter<"kind">;
  readonly #records: Counter<"outcome">;
  readonly #deadLetters: Counter<"code">;
  readonly #batches: Counter;
  readonly #lag: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.#messages = new Counter({
      name: "spectra_ingest_messages_total",
      help: "Uplink messages committed by ingest, by kind (records, state, telemetry, …; refused: a dead letter)",
      labelNames: ["kind"],
      registers,
    });
    this.#records = new Counter({
      name: "spectra_ingest_records_total",
      help: "Payment record revisions acknowledged by ingest, by outcome",
      labelNames: ["outcome"],
      registers,
    });
    this.#deadLetters = new Counter({
      name: "spectra_ingest_dead_letters_total",
      help: "Dead letters written by ingest, by error code",
      labelNames: ["code"],
      registers,
    });
    this.#batches = new Counter({
      name: "spectra_ingest_batches_total",
      help: "Database transactions ingest committed",
      registers,
    });
    this.#lag = new Histogram({
      name: "spectra_ingest_record_lag_seconds",
      help: "From a payment's creation at the kiosk to its commit at central (first revisions), in seconds",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600, 14_400, 86_400],
      registers,
    });
  }

  batchWritten(batch: readonly Incoming[], written: BatchWritten, committedAt: Date): void {
    this.#batches.inc();
    const now = committedAt.getTime();
    for (const item of batch) {
      switch (item.type) {
        case "refused":
          this.#messages.inc({ kind: "refused" });
          break;
        case "records":
          this.#messages.inc({ kind: "records" });
          for (const record of item.items) {
            if (!record.ok || record.input.record.revision !== 1) continue;
            const created = Date.parse(record.input.record.createdAt);
            if (Number.isFinite(created)) this.#lag.observe(Math.max(0, (now - created) / 1000));
          }
          break;
        case "other":
          this.#messages.inc({ kind: item.message.kind });
          break;
      }
    }
    for (const [outcome, count] of Object.entries(written.outcomes)) {
      if (count > 0) this.#records.inc({ outcome }, count);
    }
    for (const letter of written.deadLetters) this.#deadLetters.inc({ code: codeLabel(letter.code) });
  }
}
