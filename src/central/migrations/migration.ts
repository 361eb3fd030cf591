/** One step of central's schema. `version` counts up from 1; a released migration is never edited. */
export interface CentralMigration {
  readonly version: number;
  readonly name: string;
  /** Plain SQL that runs the same on PostgreSQL and PGlite. */
  readonly sql: string;
}
