import { statSync } from "node:fs";
import type { Database } from "better-sqlite3";
import { nowMs, percentile, round } from "./stats.js";

/** One side of a commit benchmark: its connection and one commit of its kind. */
export interface CommitSide {
  readonly name: string;
  readonly db: Database;
  commit(index: number): void;
}

export interface SideBreakdown {
  /** WAL frames (pages) one commit writes, on average. */
  wal_pages_per_commit: number;
  /** The median commit with synchronous=OFF: the side's work without its fsync. */
  p50_ms_without_fsync: number;
}

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

/**
 * Where a commit's time goes, measured after the timed samples so it cannot disturb them: the pages
 * each side writes to the WAL per commit (checkpoints held off meanwhile), then each side's median
 * with synchronous=OFF. The sides run interleaved, as in the timed run.
 */
export function commitBreakdown(sides: readonly CommitSide[], commits = 500): Record<string, SideBreakdown> {
  for (const side of sides) {
    side.db.pragma("wal_autocheckpoint = 0");
    side.db.pragma("wal_checkpoint(TRUNCATE)");
  }
  for (let index = 0; index < commits; index += 1) for (const side of sides) side.commit(index);
  const pages = sides.map((side) => {
    const pageSize = side.db.pragma("page_size", { simple: true }) as number;
    const walBytes = statSync(`${side.db.name}-wal`).size;
    return (walBytes - WAL_HEADER_BYTES) / (pageSize + FRAME_HEADER_BYTES) / commits;
  });

  const timings = sides.map(() => [] as number[]);
  for (const side of sides) side.db.pragma("synchronous = OFF");
  for (let index = 0; index < commits; index += 1) {
    sides.forEach((side, which) => {
      const start = nowMs();
      side.commit(commits + index);
      timings[which]?.push(nowMs() - start);
    });
  }
  for (const side of sides) {
    side.db.pragma("synchronous = FULL");
    side.db.pragma("wal_autocheckpoint = 1000");
  }
  return Object.fromEntries(
    sides.map((side, which) => [
      side.name,
      {
        wal_pages_per_commit: round(pages[which] ?? Number.NaN, 2),
        p50_ms_without_fsync: round(percentile(timings[which] ?? [], 50)),
      },
    ]),
  );
}
