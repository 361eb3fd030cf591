import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import type { Sql } from "../../db/central-db.js";
import { hashPassword } from "./password.js";
import { isRole, type Role } from "./roles.js";

/** A user name is also what commands carry as `issuedBy` (at most 64 characters). */
const USER_NAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;

export function checkUserName(name: string): void {
  if (!USER_NAME.test(name)) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_USER_INVALID,
      `"${name.slice(0, 70)}" is not a valid user name: 2–64 lowercase letters, digits, and . _ @ -`,
    );
  }
}

/**
 * Adds a dashboard user with a role (an admin when none is given: what every user was before roles,
 * and what the tests' operator needs; the command line and the users page always name one). With
 * `replace`, an existing user gets the new password instead — their role unchanged — and every
 * session they had ends; without it, an existing name is an error.
 */
export async function addUser(
  db: Sql,
  name: string,
  password: string,
  at: string,
  options: { replace: boolean; role?: Role },
): Promise<"added" | "replaced"> {
  checkUserName(name);
  const hash = await hashPassword(password);
  const [row] = await db.query<{ inserted: boolean }>(
    `INSERT INTO dashboard_users (name, password_hash, created_at, updated_at, role) VALUES ($1, $2, $3, $3, $5)
     ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at
       WHERE $4::boolean
     RETURNING (xmax = 0) AS inserted`,
    [name, hash, at, options.replace, options.role ?? "admin"],
  );
  if (!row) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_USER_EXISTS,
      `The dashboard user ${name} exists already: use --replace to set a new password.`,
      { name },
    );
  }
  if (row.inserted) return "added";
  await db.query("DELETE FROM dashboard_sessions WHERE user_name = $1", [name]);
  return "replaced";
}

/** The stored password hash and role of a user; null for a name that has no account. */
export async function accountOf(db: Sql, name: string): Promise<{ passwordHash: string; role: Role } | null> {
  const [row] = await db.query<{ password_hash: string; role: string }>(
    "SELECT password_hash, role FROM dashboard_users WHERE name = $1",
    [name],
  );
  if (!row) return null;
  return { passwordHash: row.password_hash, role: isRole(row.role) ? row.role : "viewer" };
}
