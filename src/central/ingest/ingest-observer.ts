import type { Incoming } from "./incoming.js";
import type { BatchWritten } from "./write-batch.js";

/** Told of every batch a worker committed (central's metrics count them); must not throw or block. */
export interface IngestObserver {
  batchWritten(batch: readonly Incoming[], written: BatchWritten, committedAt: Date): void;
}
