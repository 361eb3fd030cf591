import { ErrorCodes } from "../../../core/error-codes.js";
import { newToken } from "../auth/csrf.js";
import { verifyAgainstDecoy, verifyPassword } from "../auth/password.js";
import { recordSignIn } from "../auth/user-directory.js";
import { accountOf } from "../auth/users.js";
import { writeAudit } from "../control/audit-log.js";
import { FORMS } from "../form-bounds.js";
import { type Reply, redirect, serializeCookie } from "../http-kit.js";
import { sameOriginPath } from "../next-path.js";
import { signInPage } from "../pages/sign-in.js";
import { formatDuration } from "../view/format.js";
import {
  type DashboardApp,
  type DashboardRoute,
  type RequestContext,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
} from "./context.js";

export function authRoutes(app: DashboardApp): DashboardRoute[] {
  const secure = app.config.secureCookie;
  const signInCookie = (token: string) =>
    serializeCookie(SIGN_IN_COOKIE, token, { path: "/sign-in", secure });

  const form = (
    context: RequestContext,
    options: { status: number; name?: string; next: string; error?: string },
  ): Reply => {
    // The sign-in form's token is a cookie of its own (double submit): there is no session yet.
    const token = context.cookies.get(SIGN_IN_COOKIE) ?? newToken();
    return {
      kind: "html",
      status: options.status,
      cookies: [signInCookie(token)],
      body: signInPage({
        csrfToken: token,
        next: options.next,
        ...(options.name !== undefined ? { name: options.name } : {}),
        notice: options.error ? { kind: "error", text: options.error } : null,
      }),
    };
  };

  return [
    {
      method: "GET",
      path: "/sign-in",
      access: "public",
      handler: async (context) => {
        const next = sameOriginPath(context.url.searchParams.get("next"));
        if (context.session) return redirect(next);
        const expired = context.url.searchParams.get("expired") === "1";
        return form(context, {
          status: 200,
          next,
          ...(expired ? { error: "Your session ended: sign in again." } : {}),
        });
      },
    },
    {
      method: "POST",
      path: "/sign-in",
      access: "public",
      form: FORMS.signIn,
      handler: async (context) => {
        const fields = context.form ?? new URLSearchParams();
        const name = (fields.get("name") ?? "").trim().toLowerCase();
        const password = fields.get("password") ?? "";
        const next = sameOriginPath(fields.get("next"));
        const now = app.clock.now().toISOString();
        // The attempt is counted before its password is looked at: sign-ins arriving together, at
        // this process or another, cannot all pass a check made before any of them failed.
        // Per name first: a name's own lock refuses without counting against the address (so the
        // many refusals of one locked name cannot lock everyone behind that address).
        const attempt = await app.throttle.reserve(name);
        if (!attempt.allowed) {
          return form(context, {
            status: 429,
            name,
            next,
            error: `[${ErrorCodes.DASHBOARD_SIGN_IN_LOCKED}] Too many failed sign-ins for ${name}: try again in ${formatDuration(attempt.lockedForMs / 1000)}.`,
          });
        }
        // Then per address: one address spraying many names is stopped at its own limit.
        const address = context.clientAddress;
        const fromAddress = await app.addressThrottle.reserve(address);
        if (!fromAddress.allowed) {
          // No password was checked: the name's attempt is given back.
          await app.throttle.release(name);
          return form(context, {
            status: 429,
            name,
            next,
            error: `[${ErrorCodes.DASHBOARD_SIGN_IN_ADDRESS_LOCKED}] Too many failed sign-ins from your address: try again in ${formatDuration(fromAddress.lockedForMs / 1000)}.`,
          });
        }
        const account = name ? await accountOf(app.db, name) : null;
        const hash = account?.passwordHash ?? null;
        const ok = hash ? await verifyPassword(password, hash) : await verifyAgainstDecoy(password);
        if (!ok || !account) {
          await app.throttle.failed(name);
          await app.addressThrottle.failed(address);
          // Refusals are audited for real accounts: someone guessing at one matters.
          if (hash) {
            await writeAudit(app.db, {
              at: now,
              userName: name,
              action: "sign-in-refused",
              deviceId: null,
              commandId: null,
              detail: { reason: "wrong password", address },
            });
          }
          app.logger.warn(`[${ErrorCodes.DASHBOARD_SIGN_IN_FAILED}] failed sign-in for "${name}"`, {
            code: ErrorCodes.DASHBOARD_SIGN_IN_FAILED,
          });
          return form(context, {
            status: 401,
            name,
            next,
            error: `[${ErrorCodes.DASHBOARD_SIGN_IN_FAILED}] Wrong user name or password.`,
          });
        }
        await app.throttle.succeeded(name);
        await app.addressThrottle.release(address);
        // A new session on every sign-in: a token someone planted before is never promoted.
        await app.sessions.destroy(context.cookies.get(SESSION_COOKIE));
        const { token } = await app.sessions.create(name, account.role);
        await recordSignIn(app.db, name, now);
        await writeAudit(app.db, {
          at: now,
          userName: name,
          action: "sign-in",
          deviceId: null,
          commandId: null,
          detail: { address },
        });
        return redirect(next, [
          serializeCookie(SESSION_COOKIE, token, { secure }),
          serializeCookie(SIGN_IN_COOKIE, "", { path: "/sign-in", secure, maxAgeSeconds: 0 }),
        ]);
      },
    },
    {
      method: "POST",
      path: "/sign-out",
      access: "viewer",
      form: FORMS.signOut,
      handler: async (context) => {
        await app.sessions.destroy(context.cookies.get(SESSION_COOKIE));
        if (context.session) {
          await writeAudit(app.db, {
            at: app.clock.now().toISOString(),
            userName: context.session.userName,
            action: "sign-out",
            deviceId: null,
            commandId: null,
            detail: {},
          });
        }
        return redirect("/sign-in", [serializeCookie(SESSION_COOKIE, "", { secure, maxAgeSeconds: 0 })]);
      },
    },
  ];
}
