import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionStore, tokenHash } from "../../src/central/dashboard/auth/sessions.js";
import { addUser } from "../../src/central/dashboard/auth/users.js";
import { fixedClock } from "../../src/core/clock.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { sqlOf } from "../helpers/central-queries.js";
import { DashboardClient, type Fleet, OPERATOR, startFleet } from "../helpers/dashboard.js";
import { expectKioskErrorAsync } from "../helpers/kiosk-error.js";

describe("dashboard sign-in, sessions and CSRF (PostgreSQL, Mosquitto)", () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ signIn: { maxFailures: 3, lockoutMinutes: 1 } });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  const db = () => sqlOf(fleet.database.pool);

  it("sends a visitor who has not signed in to the sign-in page, and refuses their forms", async () => {
    const visitor = new DashboardClient(fleet.url);
    for (const path of ["/", "/kiosks/kiosk-a", "/payments", "/payments.csv", "/dead-letters", "/audit"]) {
      const page = await visitor.get(path);
      expect(page.status, path).toBe(303);
      expect(page.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const post = await visitor.post("/kiosks/kiosk-a/commands", { name: "lock", confirm: "yes" });
    expect(post.status).toBe(303);
    expect(post.location).toMatch(/^\/sign-in/);
    expect(await db().query("SELECT 1 FROM commands")).toHaveLength(0);
    // The sign-in page and the style sheet are public; headers forbid framing and scripts.
    const signIn = await visitor.get("/sign-in");
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(signIn.headers.get("x-frame-options")).toBe("DENY");
    expect((await visitor.get("/dashboard.css")).status).toBe(200);
  });

  it("signs in with the right password only, and the session cookie is HttpOnly and SameSite=Strict", async () => {
    const client = new DashboardClient(fleet.url);
    const wrong = await client.signIn(OPERATOR.name, "not the password at all");
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain(ErrorCodes.DASHBOARD_SIGN_IN_FAILED);
    const unknown = await client.signIn("nobody", OPERATOR.password);
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain("Wrong user name or password");

    const form = await client.get("/sign-in");
    const response = await fetch(new URL("/sign-in", fleet.url), {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
      body: new URLSearchParams({
        csrf: DashboardClient.csrfOf(form),
        name: OPERATOR.name,
        password: OPERATOR.password,
        next: "/payments",
      }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/payments");
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("spectra_session="));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    // The database keeps a hash of the token, never the token.
    const token = decodeURIComponent((cookie ?? "").split(";")[0]?.split("=")[1] ?? "");
    const rows = await db().query<{ token_hash: string; user_name: string }>(
      "SELECT token_hash, user_name FROM dashboard_sessions",
    );
    expect(rows.map((row) => row.token_hash)).toContain(tokenHash(token));
    expect(rows.map((row) => row.token_hash)).not.toContain(token);
    // Sign-ins and refusals for real accounts are audited; made-up names are not.
    const audit = await db().query<{ action: string; user_name: string }>(
      "SELECT action, user_name FROM dashboard_audit ORDER BY id",
    );
    expect(audit).toEqual([
      { action: "sign-in-refused", user_name: OPERATOR.name },
      { action: "sign-in", user_name: OPERATOR.name },
    ]);
  });

  it("refuses a sign-in without the sign-in form's token, and an open redirect", async () => {
    const client = new DashboardClient(fleet.url);
    await client.get("/sign-in");
    const forged = await client.post("/sign-in", {
      csrf: "forged",
      name: OPERATOR.name,
      password: OPERATOR.password,
    });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain(ErrorCodes.DASHBOARD_CSRF_INVALID);
    const form = await client.get("/sign-in");
    const away = await client.post("/sign-in", {
      csrf: DashboardClient.csrfOf(form),
      name: OPERATOR.name,
      password: OPERATOR.password,
      next: "//evil.example/x",
    });
    expect(away.status).toBe(303);
    expect(away.location).toBe("/");
  });

  it("locks a name out after repeated wrong passwords", async () => {
    await addUser(fleet.central.db, "clerk", "another long password", new Date().toISOString(), {
      replace: false,
    });
    const client = new DashboardClient(fleet.url);
    for (let i = 0; i < 3; i++) expect((await client.signIn("clerk", "wrong wrong wrong")).status).toBe(401);
    const locked = await client.signIn("clerk", "another long password");
    expect(locked.status).toBe(429);
    expect(locked.text).toContain(ErrorCodes.DASHBOARD_SIGN_IN_LOCKED);
    expect(client.cookies.has("spectra_session")).toBe(false);
  });

  it("needs the session's token on every state-changing form, and a same-origin request", async () => {
    const client = new DashboardClient(fleet.url);
    expect((await client.signIn()).status).toBe(303);
    const token = await client.csrf();
    const missing = await client.post("/kiosks/kiosk-a/commands", { name: "lock" });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain(ErrorCodes.DASHBOARD_CSRF_INVALID);
    const wrong = await client.post("/kiosks/kiosk-a/config", {
      csrf: `${token.slice(0, -1)}x`,
      settings: "{}",
    });
    expect(wrong.status).toBe(403);
    const crossSite = await client.post("/sign-out", { csrf: token }, { origin: "http://evil.example" });
    expect(crossSite.status).toBe(403);
    // Another user's token is not this session's.
    const other = new DashboardClient(fleet.url);
    await other.signIn();
    const borrowed = await client.post("/sign-out", { csrf: await other.csrf() });
    expect(borrowed.status).toBe(403);
    expect((await client.get("/")).status).toBe(200);
  });

  it("ends a session on sign-out: the old cookie no longer works", async () => {
    const client = new DashboardClient(fleet.url);
    await client.signIn();
    const stolen = new DashboardClient(fleet.url);
    stolen.cookies.set("spectra_session", client.cookies.get("spectra_session") ?? "");
    expect((await stolen.get("/")).status).toBe(200);
    const out = await client.post("/sign-out", { csrf: await client.csrf() });
    expect(out.status).toBe(303);
    expect(out.location).toBe("/sign-in");
    expect((await stolen.get("/")).status).toBe(303);
  });

  it("ends sessions left idle and sessions past their absolute lifetime", async () => {
    const idle = new DashboardClient(fleet.url);
    await idle.signIn();
    const busy = new DashboardClient(fleet.url);
    await busy.signIn();
    const hashOf = (client: DashboardClient) =>
      tokenHash(decodeURIComponent(client.cookies.get("spectra_session") ?? ""));
    // Idle for 31 minutes (the default idle limit is 30).
    await db().query(
      "UPDATE dashboard_sessions SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = $1",
      [hashOf(idle)],
    );
    // Signed in 12 hours ago, but busy until a moment ago.
    await db().query(
      "UPDATE dashboard_sessions SET created_at = now() - interval '12 hours' WHERE token_hash = $1",
      [hashOf(busy)],
    );
    for (const client of [idle, busy]) {
      const page = await client.get("/payments");
      expect(page.status).toBe(303);
      expect(page.location).toBe("/sign-in?next=%2Fpayments&expired=1");
      expect((await client.get(page.location ?? "")).text).toContain("Your session ended");
    }
    expect(
      await db().query("SELECT 1 FROM dashboard_sessions WHERE token_hash = ANY($1)", [
        [hashOf(idle), hashOf(busy)],
      ]),
    ).toHaveLength(0);
  });

  it("keeps a session alive while it is used, up to the absolute lifetime (store, with a clock)", async () => {
    const clock = fixedClock("2026-03-01T08:00:00Z");
    const store = new SessionStore(
      fleet.central.db,
      { idleMs: 30 * 60_000, absoluteMs: 2 * 3600_000 },
      clock,
    );
    const { token } = await store.create(OPERATOR.name, "admin");
    for (let i = 0; i < 4; i++) {
      clock.advance(25 * 60_000);
      expect(await store.find(token), `after ${(i + 1) * 25} min`).not.toBeNull();
    }
    clock.advance(25 * 60_000); // 125 minutes after sign-in
    expect(await store.find(token)).toBeNull();
    const { token: second } = await store.create(OPERATOR.name, "admin");
    clock.advance(30 * 60_000);
    expect(await store.prune()).toBeGreaterThanOrEqual(1);
    expect(await store.find(second)).toBeNull();
  });

  it("replacing a password ends that user's sessions; adding an existing name is refused", async () => {
    const client = new DashboardClient(fleet.url);
    await client.signIn();
    await expectKioskErrorAsync(
      () =>
        addUser(fleet.central.db, OPERATOR.name, "yet another password", new Date().toISOString(), {
          replace: false,
        }),
      ErrorCodes.DASHBOARD_USER_EXISTS,
    );
    expect((await client.get("/")).status).toBe(200);
    expect(
      await addUser(fleet.central.db, OPERATOR.name, OPERATOR.password, new Date().toISOString(), {
        replace: true,
      }),
    ).toBe("replaced");
    expect((await client.get("/")).status).toBe(303);
  });
});
