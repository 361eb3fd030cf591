import { createHash } from "node:crypto";
import type { Clock } from "../../../core/clock.js";
import type { Sql } from "../../db/central-db.js";
import { newToken } from "./csrf.js";
import { isRole, type Role } from "./roles.js";

export interface SessionPolicy {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, however busy. */
  readonly absoluteMs: number;
}

export interface Session {
  readonly userName: string;
  /** The user's role as it is now: a change takes effect on their next request. */
  readonly role: Role;
  /** The token every form of this session must carry. */
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
}

export type SessionStatus = "active" | "idle-expired" | "expired";

/** Whether a session may still be used at `now`. */
export function sessionStatus(
  session: Pick<Session, "createdAt" | "lastSeenAt">,
  now: Date,
  policy: SessionPolicy,
): SessionStatus {
  if (now.getTime() - session.createdAt.getTime() >= policy.absoluteMs) return "expired";
  if (now.getTime() - session.lastSeenAt.getTime() >= policy.idleMs) return "idle-expired";
  return "active";
}

/** Sessions are stored by this hash of their cookie: a copy of the table signs no one in. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** last_seen_at is written at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 15_000;

interface SessionRow {
  user_name: string;
  role: string;
  csrf_token: string;
  created_at: Date | string;
  last_seen_at: Date | string;
}

/** Server-side sessions: the browser holds only a random token. */
export class SessionStore {
  constructor(
    private readonly db: Sql,
    private readonly policy: SessionPolicy,
    private readonly clock: Clock,
  ) {}

  /** A new session for a user who just signed in; returns the cookie's token. */
  async create(userName: string, role: Role): Promise<{ token: string; session: Session }> {
    const token = newToken();
    const now = this.clock.now();
    const session: Session = { userName, role, csrfToken: newToken(), createdAt: now, lastSeenAt: now };
    await this.db.query(
      `INSERT INTO dashboard_sessions (token_hash, user_name, csrf_token, created_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $4)`,
      [tokenHash(token), userName, session.csrfToken, now.toISOString()],
    );
    return { token, session };
  }

  /** The session a cookie names, if it is still valid (an expired one is deleted); marks it used. */
  async find(token: string | undefined): Promise<Session | null> {
    if (!token || token.length > 128) return null;
    const hash = tokenHash(token);
    const [row] = await this.db.query<SessionRow>(
      `SELECT s.user_name, u.role, s.csrf_token, s.created_at, s.last_seen_at
       FROM dashboard_sessions s JOIN dashboard_users u ON u.name = s.user_name WHERE s.token_hash = $1`,
      [hash],
    );
    if (!row) return null;
    const session: Session = {
      userName: row.user_name,
      // A role this software does not know gives the least rights, never the most.
      role: isRole(row.role) ? row.role : "viewer",
      csrfToken: row.csrf_token,
      createdAt: new Date(row.created_at),
      lastSeenAt: new Date(row.last_seen_at),
    };
    const now = this.clock.now();
    if (sessionStatus(session, now, this.policy) !== "active") {
      await this.db.query("DELETE FROM dashboard_sessions WHERE token_hash = $1", [hash]);
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.db.query("UPDATE dashboard_sessions SET last_seen_at = $2 WHERE token_hash = $1", [
        hash,
        now.toISOString(),
      ]);
      return { ...session, lastSeenAt: now };
    }
    return session;
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!token) return;
    await this.db.query("DELETE FROM dashboard_sessions WHERE token_hash = $1", [tokenHash(token)]);
  }

  /** Deletes every session that can no longer be used; returns how many. */
  async prune(): Promise<number> {
    const now = this.clock.now().getTime();
    const rows = await this.db.query(
      "DELETE FROM dashboard_sessions WHERE created_at <= $1 OR last_seen_at <= $2 RETURNING token_hash",
      [
        new Date(now - this.policy.absoluteMs).toISOString(),
        new Date(now - this.policy.idleMs).toISOString(),
      ],
    );
    return rows.length;
  }
}
