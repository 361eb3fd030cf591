import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import type { CentralDb, Sql } from "../../db/central-db.js";
import { writeAudit } from "../control/audit-log.js";
import { isoOf } from "../fleet/values.js";
import { isRole, type Role } from "./roles.js";
import { addUser } from "./users.js";

export interface DashboardUser {
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly lastSignInAt: string | null;
}

/** Who changes users, and when: a dashboard user, or `cli:USER` for the command line. */
export interface UserChange {
  readonly at: string;
  readonly by: string;
}

/** Every dashboard user with their role, by name; never a password hash. */
export async function listUsers(db: Sql): Promise<DashboardUser[]> {
  const rows = await db.query<{ name: string; role: string; created_at: unknown; last_sign_in_at: unknown }>(
    "SELECT name, role, created_at, last_sign_in_at FROM dashboard_users ORDER BY name",
  );
  return rows.map((row) => ({
    name: row.name,
    role: isRole(row.role) ? row.role : "viewer",
    createdAt: isoOf(row.created_at) ?? "",
    lastSignInAt: isoOf(row.last_sign_in_at),
  }));
}

/** Adds a user with a role (audited); an existing name is DASHBOARD_USER_EXISTS. */
export async function createUser(
  db: CentralDb,
  name: string,
  password: string,
  role: Role,
  change: UserChange,
): Promise<void> {
  await db.transaction(async (tx) => {
    await addUser(tx, name, password, change.at, { replace: false, role });
    await writeAudit(tx, {
      at: change.at,
      userName: change.by,
      action: "user-added",
      deviceId: null,
      commandId: null,
      detail: { user: name, role },
    });
  });
}

/** Notes a successful sign-in, for the users page. */
export async function recordSignIn(db: Sql, name: string, at: string): Promise<void> {
  await db.query("UPDATE dashboard_users SET last_sign_in_at = $2::timestamptz WHERE name = $1", [name, at]);
}

/** Gives a user another role (audited); the last admin keeps theirs. Returns the role before. */
export async function setUserRole(
  db: CentralDb,
  name: string,
  role: Role,
  change: UserChange,
): Promise<{ from: Role }> {
  return db.transaction(async (tx) => {
    const from = await lockUser(tx, name, role === "admin" ? null : "demote");
    if (from !== role) {
      await tx.query("UPDATE dashboard_users SET role = $2, updated_at = $3::timestamptz WHERE name = $1", [
        name,
        role,
        change.at,
      ]);
      await writeAudit(tx, {
        at: change.at,
        userName: change.by,
        action: "user-role",
        deviceId: null,
        commandId: null,
        detail: { user: name, from, to: role },
      });
    }
    return { from };
  });
}

/** Removes a user (audited); every session they had ends with them. The last admin stays. */
export async function removeUser(
  db: CentralDb,
  name: string,
  change: UserChange,
): Promise<{ role: Role; sessionsEnded: number }> {
  return db.transaction(async (tx) => {
    const role = await lockUser(tx, name, "remove");
    const sessions = await tx.query(
      "DELETE FROM dashboard_sessions WHERE user_name = $1 RETURNING token_hash",
      [name],
    );
    await tx.query("DELETE FROM dashboard_users WHERE name = $1", [name]);
    await writeAudit(tx, {
      at: change.at,
      userName: change.by,
      action: "user-removed",
      deviceId: null,
      commandId: null,
      detail: { user: name, role, sessionsEnded: sessions.length },
    });
    return { role, sessionsEnded: sessions.length };
  });
}

/**
 * Locks every admin and the user, and returns the user's role. Admins are locked first, in one
 * statement: two admins demoting each other at once are taken one after the other, and the second
 * finds the first no longer an admin — so the last admin is never lost to a race.
 */
async function lockUser(tx: Sql, name: string, losing: "demote" | "remove" | null): Promise<Role> {
  const admins = await tx.query<{ name: string }>(
    "SELECT name FROM dashboard_users WHERE role = 'admin' ORDER BY name FOR UPDATE",
  );
  const [row] = await tx.query<{ role: string }>(
    "SELECT role FROM dashboard_users WHERE name = $1 FOR UPDATE",
    [name],
  );
  if (!row) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_USER_UNKNOWN,
      `There is no dashboard user ${name.slice(0, 70)}.`,
      {
        name: name.slice(0, 70),
      },
    );
  }
  const role = isRole(row.role) ? row.role : "viewer";
  if (losing && role === "admin" && admins.length <= 1) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_LAST_ADMIN,
      `${name} is the last admin: make another user an admin first. Nothing changed.`,
      { name },
    );
  }
  return role;
}
