import { ErrorCodes } from "../../../core/error-codes.js";
import { isKioskError, KioskError } from "../../../core/kiosk-error.js";
import { parseRole, type Role } from "../auth/roles.js";
import { createUser, listUsers, removeUser, setUserRole } from "../auth/user-directory.js";
import { FORMS } from "../form-bounds.js";
import { type Reply, redirect } from "../http-kit.js";
import { confirmRemoveUserPage, usersPage } from "../pages/users.js";
import type { Notice } from "../view/layout.js";
import { type DashboardApp, type DashboardRoute, type RequestContext, viewerOf } from "./context.js";

/** What a redirect after a change says; the name is shown escaped, like everything else. */
const DONE: Record<string, (name: string) => string> = {
  added: (name) => `${name} added.`,
  role: (name) => `${name}'s role changed.`,
  removed: (name) => `${name} removed; their sessions ended.`,
};

async function render(
  app: DashboardApp,
  context: RequestContext,
  status: number,
  notice: Notice | null,
  form?: { name: string; role: Role },
): Promise<Reply> {
  const users = await listUsers(app.db);
  return {
    kind: "html",
    status,
    body: usersPage({ viewer: viewerOf(context), users, notice, ...(form ? { form } : {}) }),
  };
}

/** A refused change shows the users page again with why; anything but a coded error is a bug. */
function refusedWith(app: DashboardApp, context: RequestContext, form?: { name: string; role: Role }) {
  return (error: unknown): Promise<Reply> => {
    if (!isKioskError(error)) throw error;
    return render(app, context, 400, { kind: "error", text: error.message }, form);
  };
}

/** Users: admins only (the routes say so; the server refuses anyone else with 403 before these run). */
export function userRoutes(app: DashboardApp): DashboardRoute[] {
  const change = (context: RequestContext) => ({
    at: app.clock.now().toISOString(),
    by: viewerOf(context).userName,
  });
  return [
    {
      method: "GET",
      path: "/users",
      access: "admin",
      handler: (context) => {
        const [done, name] = [...context.url.searchParams].find(([key]) => key in DONE) ?? [];
        const text = done && name ? DONE[done]?.(name.slice(0, 64)) : undefined;
        return render(app, context, 200, text ? { kind: "ok", text } : null);
      },
    },
    {
      method: "POST",
      path: "/users",
      access: "admin",
      form: FORMS.userAdd,
      handler: async (context) => {
        const form = context.form ?? new URLSearchParams();
        const name = (form.get("name") ?? "").trim().toLowerCase();
        const typed = { name, role: "viewer" as Role };
        try {
          const role = parseRole(form.get("role") ?? "");
          typed.role = role;
          await createUser(app.db, name, form.get("password") ?? "", role, change(context));
          return redirect(`/users?added=${encodeURIComponent(name)}`);
        } catch (error) {
          return refusedWith(app, context, typed)(error);
        }
      },
    },
    {
      method: "POST",
      path: "/users/:name/role",
      access: "admin",
      form: FORMS.userRole,
      handler: async (context) => {
        const name = context.params.name ?? "";
        try {
          await setUserRole(app.db, name, parseRole(context.form?.get("role") ?? ""), change(context));
          return redirect(`/users?role=${encodeURIComponent(name)}`);
        } catch (error) {
          return refusedWith(app, context)(error);
        }
      },
    },
    {
      method: "POST",
      path: "/users/:name/remove",
      access: "admin",
      form: FORMS.userRemove,
      handler: async (context) => {
        const name = context.params.name ?? "";
        const viewer = viewerOf(context);
        try {
          if (context.form?.get("confirm") !== "yes") {
            const user = (await listUsers(app.db)).find((candidate) => candidate.name === name);
            if (!user) {
              throw new KioskError(
                ErrorCodes.DASHBOARD_USER_UNKNOWN,
                `There is no dashboard user ${name.slice(0, 70)}.`,
              );
            }
            return { kind: "html", status: 200, body: confirmRemoveUserPage({ viewer, user }) };
          }
          await removeUser(app.db, name, change(context));
          // Removing yourself ends your own session too.
          return redirect(
            name === viewer.userName ? "/sign-in" : `/users?removed=${encodeURIComponent(name)}`,
          );
        } catch (error) {
          return refusedWith(app, context)(error);
        }
      },
    },
  ];
}
