import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/central/dashboard/auth/roles.js";
import { setUserRole } from "../../src/central/dashboard/auth/user-directory.js";
import { addUser } from "../../src/central/dashboard/auth/users.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { isKioskError } from "../../src/core/kiosk-error.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { sqlOf } from "../helpers/central-queries.js";
import {
  DashboardClient,
  type Fleet,
  OPERATOR,
  type Page,
  startFleet,
  startKioskAgent,
} from "../helpers/dashboard.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-roles-01";
const PASSWORD = "a password long enough";

/** The coded error a refusal page carries. */
const codeOf = (page: Page): string | undefined =>
  /data-test="error" data-code="([A-Z_]*)"/.exec(page.text)?.[1];

describe("who may do what on the dashboard: viewer, operator, admin (PostgreSQL, Mosquitto, HTTP)", () => {
  let fleet: Fleet;
  let store: KioskStore;
  let agent: SyncAgent;
  const dir = scratchDir();
  const db = () => sqlOf(fleet.database.pool);

  /** A signed-in client of a new user with `role`. */
  const signedIn = async (name: string, role: Role): Promise<{ client: DashboardClient; csrf: string }> => {
    await addUser(fleet.central.db, name, PASSWORD, new Date().toISOString(), { replace: false, role });
    const client = new DashboardClient(fleet.url);
    expect((await client.signIn(name, PASSWORD)).status).toBe(303);
    return { client, csrf: await client.csrf() };
  };
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db().query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) q`, params))[0]?.n);

  beforeAll(async () => {
    fleet = await startFleet();
    store = openTestStore(dir.path, KIOSK);
    agent = startKioskAgent(store, KIOSK, fleet.broker.url);
    await until(
      async () =>
        (await count("SELECT 1 FROM devices WHERE device_id = $1 AND state = 'online'", [KIOSK])) === 1,
      "kiosk online",
    );
  });

  afterAll(async () => {
    await agent?.stop();
    store?.close();
    await fleet?.stop();
    dir.remove();
  });

  it("a viewer sees the fleet but sends no command (403, nothing signed, the refusal audited), and may sign out", async () => {
    const { client, csrf } = await signedIn("watcher@studio", "viewer");
    const kioskPage = await client.get(`/kiosks/${KIOSK}`);
    expect(kioskPage.status).toBe(200);
    expect(kioskPage.text).not.toContain('data-test="command-lock"');
    expect(kioskPage.text).not.toContain('data-test="config-review"');
    expect(kioskPage.text).toContain("Sending commands needs the operator role");
    expect(kioskPage.text).not.toContain('href="/users"');
    for (const path of ["/", "/payments", "/audit", "/updates", "/dead-letters", "/end-of-day"]) {
      expect((await client.get(path)).status, path).toBe(200);
    }
    expect((await client.get("/updates")).text).not.toContain('data-test="update-form"');
    // Forms a viewer cannot use are not shown on the pages added with groups and dead letters either.
    expect(kioskPage.text).not.toContain('data-test="placement-save"');
    const groupPage = await client.get("/groups?tag=front-desk");
    expect(groupPage.status).toBe(200);
    expect(groupPage.text).not.toContain('action="/groups/commands"');
    expect(groupPage.text).not.toContain('action="/groups/config"');

    const lock = await client.post(`/kiosks/${KIOSK}/commands`, {
      csrf,
      name: "lock",
      reason: "not yours to lock",
      confirm: "yes",
    });
    expect(lock.status).toBe(403);
    expect(codeOf(lock)).toBe(ErrorCodes.DASHBOARD_FORBIDDEN);
    const refusedElsewhere = [
      await client.post(`/kiosks/${KIOSK}/config`, {
        csrf,
        settings: '{"log.level":"warn"}',
        confirm: "yes",
      }),
      await client.post(`/kiosks/${KIOSK}/secret`, {
        csrf,
        name: "authorize-net-transaction-key",
        value: "x",
      }),
      await client.post("/updates", {
        csrf,
        version: "1.3.0",
        url: "https://releases.example/a.tar.gz",
        sha256: "a".repeat(64),
        kiosks: "all",
        first: "",
      }),
      await client.post("/users", { csrf, name: "sneaky", role: "admin", password: PASSWORD }),
      await client.post(`/kiosks/${KIOSK}/placement`, { csrf, studio: "Not Mine", tags: "x" }),
      await client.post("/groups/commands", { csrf, tag: "front-desk", name: "sync-now", confirm: "yes" }),
      await client.post("/groups/config", { csrf, tag: "front-desk", settings: "{}", confirm: "yes" }),
      await client.post("/dead-letters/1/replay", { csrf }),
      await client.post("/dead-letters/1/dismiss", { csrf, reason: "not mine to dismiss" }),
    ];
    for (const page of refusedElsewhere)
      expect([page.status, codeOf(page)]).toEqual([403, ErrorCodes.DASHBOARD_FORBIDDEN]);
    expect(await count("SELECT 1 FROM commands")).toBe(0);
    expect(await count("SELECT 1 FROM desired_configs")).toBe(0);
    expect(await count("SELECT 1 FROM dashboard_users WHERE name = 'sneaky'")).toBe(0);
    expect(await count("SELECT 1 FROM kiosk_placements")).toBe(0);
    expect(await count("SELECT 1 FROM group_actions")).toBe(0);
    expect(
      await count(
        "SELECT 1 FROM dashboard_audit WHERE action = 'access-refused' AND user_name = 'watcher@studio' AND detail->>'needed' IN ('operator', 'admin')",
      ),
    ).toBe(10);
    expect((await client.get("/users")).status).toBe(403);

    const out = await client.post("/sign-out", { csrf });
    expect([out.status, out.location]).toEqual([303, "/sign-in"]);
  });

  it("an operator sends commands but cannot add, change or remove users (403), nor deliver a secret", async () => {
    const { client, csrf } = await signedIn("ops2@studio", "operator");
    expect((await client.get(`/kiosks/${KIOSK}`)).text).toContain('data-test="command-lock"');
    expect((await client.get(`/kiosks/${KIOSK}`)).text).not.toContain('data-test="secret-push"');
    const sent = await client.post(`/kiosks/${KIOSK}/commands`, { csrf, name: "sync-now", confirm: "yes" });
    expect(sent.status).toBe(303);
    expect(sent.location).toMatch(/^\/commands\//);
    expect(await count("SELECT 1 FROM commands WHERE issued_by = 'ops2@studio'")).toBe(1);

    const before = await db().query("SELECT name, role FROM dashboard_users ORDER BY name");
    const tries = [
      await client.get("/users"),
      await client.post("/users", { csrf, name: "friend@studio", role: "admin", password: PASSWORD }),
      await client.post(`/users/${encodeURIComponent(OPERATOR.name)}/role`, { csrf, role: "viewer" }),
      await client.post("/users/ops2%40studio/role", { csrf, role: "admin" }),
      await client.post(`/users/${encodeURIComponent(OPERATOR.name)}/remove`, { csrf, confirm: "yes" }),
      await client.post(`/kiosks/${KIOSK}/secret`, {
        csrf,
        name: "authorize-net-transaction-key",
        value: "x",
      }),
    ];
    for (const page of tries)
      expect([page.status, codeOf(page)]).toEqual([403, ErrorCodes.DASHBOARD_FORBIDDEN]);
    expect(await db().query("SELECT name, role FROM dashboard_users ORDER BY name")).toEqual(before);
    expect((await client.get("/")).text).not.toContain('href="/users"');
  });

  it("an admin lists, adds, re-roles and removes users; a removed user's sessions end; a role change counts at once", async () => {
    const admin = new DashboardClient(fleet.url);
    await admin.signIn();
    const csrf = await admin.csrf();
    const list = await admin.get("/users");
    expect(list.status).toBe(200);
    expect(list.text).toContain(`data-name="${OPERATOR.name}" data-role="admin"`);

    const weak = await admin.post("/users", {
      csrf,
      name: "clerk@studio",
      role: "viewer",
      password: "short",
    });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain(ErrorCodes.DASHBOARD_PASSWORD_WEAK);
    const badRole = await admin.post("/users", {
      csrf,
      name: "clerk@studio",
      role: "root",
      password: PASSWORD,
    });
    expect(badRole.text).toContain(ErrorCodes.DASHBOARD_ROLE_INVALID);
    expect(await count("SELECT 1 FROM dashboard_users WHERE name = 'clerk@studio'")).toBe(0);

    const added = await admin.post("/users", {
      csrf,
      name: "Clerk@Studio",
      role: "viewer",
      password: PASSWORD,
    });
    expect([added.status, added.location]).toEqual([303, "/users?added=clerk%40studio"]);
    expect((await admin.get(added.location ?? "")).text).toContain(
      'data-name="clerk@studio" data-role="viewer"',
    );
    const again = await admin.post("/users", {
      csrf,
      name: "clerk@studio",
      role: "admin",
      password: PASSWORD,
    });
    expect(again.text).toContain(ErrorCodes.DASHBOARD_USER_EXISTS);

    const clerk = new DashboardClient(fleet.url);
    expect((await clerk.signIn("clerk@studio", PASSWORD)).status).toBe(303);
    const clerkCsrf = await clerk.csrf();
    const syncNow = { csrf: clerkCsrf, name: "sync-now", confirm: "yes" };
    expect((await clerk.post(`/kiosks/${KIOSK}/commands`, syncNow)).status).toBe(403);
    const promoted = await admin.post("/users/clerk%40studio/role", { csrf, role: "operator" });
    expect([promoted.status, promoted.location]).toEqual([303, "/users?role=clerk%40studio"]);
    // The same session, the next request: the new role counts without signing in again.
    expect((await clerk.post(`/kiosks/${KIOSK}/commands`, syncNow)).status).toBe(303);
    expect((await admin.get("/users")).text).toMatch(
      /data-name="clerk@studio" data-role="operator"[\s\S]*?never|last/,
    );

    const confirm = await admin.post("/users/clerk%40studio/remove", { csrf });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('data-test="confirm-remove"');
    expect(await count("SELECT 1 FROM dashboard_users WHERE name = 'clerk@studio'")).toBe(1);
    const removed = await admin.post("/users/clerk%40studio/remove", { csrf, confirm: "yes" });
    expect([removed.status, removed.location]).toEqual([303, "/users?removed=clerk%40studio"]);
    expect(await count("SELECT 1 FROM dashboard_sessions WHERE user_name = 'clerk@studio'")).toBe(0);
    const gone = await clerk.get("/");
    expect(gone.status).toBe(303);
    expect(gone.location).toContain("/sign-in");
    expect((await clerk.signIn("clerk@studio", PASSWORD)).status).toBe(401);
    const unknown = await admin.post("/users/nobody%40studio/role", { csrf, role: "viewer" });
    expect(unknown.text).toContain(ErrorCodes.DASHBOARD_USER_UNKNOWN);

    const audit = await db().query<{ action: string; detail: Record<string, unknown> }>(
      "SELECT action, detail FROM dashboard_audit WHERE action LIKE 'user-%' AND detail->>'user' = 'clerk@studio' ORDER BY id",
    );
    expect(audit.map((row) => row.action)).toEqual(["user-added", "user-role", "user-removed"]);
    expect(audit[1]?.detail).toMatchObject({ from: "viewer", to: "operator" });
    expect(audit[2]?.detail).toMatchObject({ role: "operator", sessionsEnded: 1 });
    expect((await admin.get("/audit")).text).toContain("removed <b>clerk@studio</b>");
  });

  it("the last admin can be neither demoted nor removed, even by two admins demoting each other at once", async () => {
    const admin = new DashboardClient(fleet.url);
    await admin.signIn();
    const csrf = await admin.csrf();
    const me = encodeURIComponent(OPERATOR.name);
    for (const page of [
      await admin.post(`/users/${me}/role`, { csrf, role: "operator" }),
      await admin.post(`/users/${me}/remove`, { csrf, confirm: "yes" }),
    ]) {
      expect(page.status).toBe(400);
      expect(page.text).toContain(ErrorCodes.DASHBOARD_LAST_ADMIN);
    }
    expect(await db().query("SELECT role FROM dashboard_users WHERE name = $1", [OPERATOR.name])).toEqual([
      { role: "admin" },
    ]);

    const second = await signedIn("boss@studio", "admin");
    const [first, other] = await Promise.all([
      admin.post("/users/boss%40studio/role", { csrf, role: "viewer" }),
      second.client.post(`/users/${me}/role`, { csrf: second.csrf, role: "viewer" }),
    ]);
    // Exactly one wins. The other finds itself the last admin (400), or — when it is checked after
    // the winner committed — no longer an admin at all (403).
    const statuses = [first.status, other.status].sort();
    expect(statuses[0]).toBe(303);
    expect([400, 403]).toContain(statuses[1]);
    expect(await count("SELECT 1 FROM dashboard_users WHERE role = 'admin'")).toBe(1);

    // The same race in the store itself, round after round: never zero admins.
    const change = { at: new Date().toISOString(), by: "test" };
    for (let round = 0; round < 5; round++) {
      await setUserRole(fleet.central.db, "boss@studio", "admin", change);
      await setUserRole(fleet.central.db, OPERATOR.name, "admin", change);
      const outcomes = await Promise.allSettled([
        setUserRole(fleet.central.db, "boss@studio", "viewer", change),
        setUserRole(fleet.central.db, OPERATOR.name, "operator", change),
      ]);
      expect(
        outcomes.filter((outcome) => outcome.status === "fulfilled"),
        `round ${round}`,
      ).toHaveLength(1);
      const failure = outcomes.find((outcome) => outcome.status === "rejected");
      expect(isKioskError(failure?.reason) && failure.reason.code).toBe(ErrorCodes.DASHBOARD_LAST_ADMIN);
      expect(await count("SELECT 1 FROM dashboard_users WHERE role = 'admin'")).toBe(1);
    }
  });
});
