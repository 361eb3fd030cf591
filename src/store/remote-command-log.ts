import type { Database, Statement } from "better-sqlite3";

export interface TakenCommand {
  readonly commandId: string;
  readonly name: string;
  readonly issuedBy: string;
  readonly receivedAt: string;
  readonly expiresAt: string;
  readonly outcome: string;
  readonly code: string | null;
}

/** Every command the kiosk took or refused, by id: a command seen before is a replay. */
export class RemoteCommandLog {
  readonly #seen: Statement<[string], { n: number }>;
  readonly #add: Statement<{
    command_id: string;
    name: string;
    issued_by: string;
    received_at: string;
    expires_at: string;
    outcome: string;
    code: string | null;
  }>;
  readonly #prune: Statement<[string]>;

  constructor(db: Database) {
    this.#seen = db.prepare("SELECT count(*) AS n FROM remote_commands WHERE command_id = ?");
    this.#add = db.prepare(
      `INSERT INTO remote_commands (command_id, name, issued_by, received_at, expires_at, outcome, code)
       VALUES (@command_id, @name, @issued_by, @received_at, @expires_at, @outcome, @code)
       ON CONFLICT(command_id) DO NOTHING`,
    );
    this.#prune = db.prepare("DELETE FROM remote_commands WHERE expires_at < ?");
  }

  seen(commandId: string): boolean {
    return (this.#seen.get(commandId)?.n ?? 0) > 0;
  }

  /** Returns false if the id was already there (a replay racing its original). */
  add(command: TakenCommand): boolean {
    return (
      this.#add.run({
        command_id: command.commandId,
        name: command.name,
        issued_by: command.issuedBy,
        received_at: command.receivedAt,
        expires_at: command.expiresAt,
        outcome: command.outcome,
        code: command.code,
      }).changes === 1
    );
  }

  /**
   * Forgets commands that expired before `before`: an expired command is refused for its expiry
   * anyway, so its id need not be kept to catch a replay.
   */
  prune(before: string): number {
    return this.#prune.run(before).changes;
  }
}
