import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";

/**
 * What a dashboard user may do: a viewer looks; an operator also sends commands, configurations and
 * updates; an admin also manages users and keys. Each role can do all the ones before it can.
 */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** A role named by a person (a form, the command line): a coded error for anything else. */
export function parseRole(value: string): Role {
  const role = value.trim().toLowerCase();
  if (!isRole(role)) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_ROLE_INVALID,
      `"${value.slice(0, 40)}" is not a role: viewer, operator or admin.`,
    );
  }
  return role;
}

/** Whether `role` may do what `needed` may. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
