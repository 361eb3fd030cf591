import type { Role } from "./auth/roles.js";

/**
 * Who may reach a route:
 * - `public`: anyone (sign-in, the style sheet);
 * - `user`: any signed-in user to look (GET), an operator to change (POST) — the safe default, so a
 *   new form is closed to viewers unless its route says otherwise;
 * - `viewer`: any signed-in user, whatever the method (signing out);
 * - `admin`: admins only (users, keys).
 */
export type Access = "public" | "user" | "viewer" | "admin";

/** The least role a request needs; null when nobody need be signed in. */
export function roleNeeded(access: Access, method: string): Role | null {
  switch (access) {
    case "public":
      return null;
    case "viewer":
      return "viewer";
    case "user":
      return method === "GET" || method === "HEAD" ? "viewer" : "operator";
    case "admin":
      return "admin";
  }
}
