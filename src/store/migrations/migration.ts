import type { Database } from "better-sqlite3";

/** One step of the schema. `version` counts up from 1; a released migration is never edited. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}
