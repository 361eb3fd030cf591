import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser } from "../../src/central/dashboard/auth/users.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { sqlOf } from "../helpers/central-queries.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { DashboardClient, type Page } from "../helpers/dashboard.js";
import { launchChromium } from "../helpers/dashboard-browser.js";
import { postgresCentral, writeTestConfig } from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { OPEN_REDIRECTS } from "../helpers/open-redirects.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { until } from "../helpers/wait.js";

const MAX_FAILURES = 5;
/** Failed sign-ins from one address (any names) before it is locked: the default. */
const ADDRESS_LIMIT = 20;
const PASSWORD = "the right password, at last";

/** `spectra-kiosk central` in its own process, serving the dashboard on a free port. */
async function startCentralProcess(dir: string, name: string, databaseUrl: string, brokerUrl: string) {
  const config = writeTestConfig(dir, name, {
    deviceId: `central-${name}`,
    dataDir: join(dir, name),
    logLevel: "info",
    central: {
      ...postgresCentral(databaseUrl, brokerUrl),
      dashboard: { enabled: true, port: 0, signIn: { maxFailures: MAX_FAILURES, lockoutMinutes: 15 } },
    },
  });
  const process = spawnCli(["central", "--config", config]);
  let url: string | null = null;
  await until(
    () => {
      url = /fleet dashboard at (http:\/\/[^\s"]+)/.exec(process.output())?.[1] ?? null;
      return url !== null || process.child.exitCode !== null;
    },
    `central ${name}'s dashboard`,
    30_000,
  );
  if (!url) throw new Error(`central ${name} did not serve its dashboard:\n${process.output()}`);
  return { process, url: url as string };
}

/** A browser that has fetched the sign-in form (its token cookie), ready to post it. */
async function atSignInForm(url: string): Promise<{ client: DashboardClient; csrf: string }> {
  const client = new DashboardClient(url);
  return { client, csrf: DashboardClient.csrfOf(await client.get("/sign-in")) };
}

describe("the dashboard under attack (two central processes on one PostgreSQL)", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  const centrals: { process: CliProcess; url: string }[] = [];
  const db = () => sqlOf(database.pool);
  const user = (name: string) => addUser(db(), name, PASSWORD, new Date().toISOString(), { replace: false });

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir("spectra-attacks-");
    // The first migrates; the second finds the schema done.
    centrals.push(await startCentralProcess(dir.path, "a", database.url, broker.url));
    centrals.push(await startCentralProcess(dir.path, "b", database.url, broker.url));
  }, 90_000);

  afterAll(async () => {
    for (const central of centrals) await central.process.kill("SIGTERM");
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("31 simultaneous sign-ins for one name, split across both processes, check at most the limit's passwords", async () => {
    await user("target@studio");
    const forms = await Promise.all(
      Array.from({ length: 31 }, (_, i) => atSignInForm(centrals[i % 2]?.url ?? "")),
    );
    const answers = await Promise.all(
      forms.map(({ client, csrf }, i) =>
        client.post("/sign-in", { csrf, name: "target@studio", password: `wrong guess ${i}`, next: "/" }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    const checked = statuses.filter((status) => status === 401).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(MAX_FAILURES);
    expect(statuses.filter((status) => status === 429)).toHaveLength(31 - checked);
    for (const answer of answers.filter((a) => a.status === 429))
      expect(answer.text).toContain(ErrorCodes.DASHBOARD_SIGN_IN_LOCKED);
    const refusals = await db().query("SELECT 1 FROM dashboard_audit WHERE action = 'sign-in-refused'");
    expect(refusals).toHaveLength(checked);

    // The right password, at either process, gets no session while the name is locked.
    for (const central of centrals) {
      const { client, csrf } = await atSignInForm(central.url);
      const right = await client.post("/sign-in", {
        csrf,
        name: "target@studio",
        password: PASSWORD,
        next: "/",
      });
      expect(right.status).toBe(429);
      expect(client.cookies.has("spectra_session")).toBe(false);
    }
    expect(
      await db().query("SELECT 1 FROM dashboard_sessions WHERE user_name = 'target@studio'"),
    ).toHaveLength(0);
  }, 60_000);

  it("with the right password among 40 simultaneous guesses, it signs in only if it was one of the few checked", async () => {
    await user("second@studio");
    const forms = await Promise.all(
      Array.from({ length: 40 }, (_, i) => atSignInForm(centrals[i % 2]?.url ?? "")),
    );
    const answers = await Promise.all(
      forms.map(({ client, csrf }, i) =>
        client.post("/sign-in", {
          csrf,
          name: "second@studio",
          password: i === 23 ? PASSWORD : `wrong guess ${i}`,
          next: "/",
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    const signedIn = statuses.filter((status) => status === 303).length;
    expect(statuses.filter((status) => status === 401).length + signedIn).toBeLessThanOrEqual(MAX_FAILURES);
    const sessions = await db().query("SELECT 1 FROM dashboard_sessions WHERE user_name = 'second@studio'");
    expect(sessions).toHaveLength(signedIn);
  }, 60_000);

  it("the payments CSV defuses a formula in every column, ids from kiosks included", async () => {
    const formula = (column: string) => `=HYPERLINK("http://evil.example/?${column}","open")`;
    await db().query(
      `INSERT INTO payment_records (id, revision, device_id, kind, invoice_id, invoice_number, client_id,
         refund_of, amount_minor, currency, payment_date, refundable, future_payment, method_id, method_name,
         method_type, method, status, staff_id, note, created_at, updated_at, content_hash, received_at)
       VALUES ($1, 1, $2, 'refund', $3, $4, $5, $6, -1250, 'USD', '2026-03-01', false, false, $7, $8, $9, $10,
         $11, $12, $13, now(), now(), 'x', now())`,
      [
        formula("record_id"),
        "+kiosk",
        "-1+invoice",
        "@SUM(1+1)",
        "\t=client",
        formula("refund_of"),
        "=method_id",
        "\r=method_name",
        "=method_type",
        JSON.stringify({
          cardType: "=1+1",
          entryMode: "-2+3",
          maskedPan: "@maskedPan",
          authorizationCode: " =auth",
          checkNumber: "\n=check",
          amountTendered: { minor: 2000, currency: "USD" },
        }),
        "=status",
        "＝staff",
        "=note",
      ],
    );
    const { client, csrf } = await atSignInForm(centrals[0]?.url ?? "");
    await user("exporter@studio");
    expect(
      (await client.post("/sign-in", { csrf, name: "exporter@studio", password: PASSWORD })).status,
    ).toBe(303);
    const csv = await client.get("/payments.csv");
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.record_id).toBe(`'${formula("record_id")}`);
    expect(row?.refund_of).toBe(`'${formula("refund_of")}`);
    expect(row?.amount).toBe("-12.50");
    for (const [column, cell] of Object.entries(row ?? {})) {
      if (/^-?\d+(\.\d+)?$/.test(cell)) continue;
      expect(cell, column).not.toMatch(/^[\s\u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/);
    }
  });

  it("next lands on the dashboard's own pages, whatever trick it carries (Node and Chromium)", async () => {
    await user("traveller@studio");
    const base = centrals[0]?.url ?? "";
    const origin = new URL(base).origin;
    const landsHome = (page: Page) => {
      expect(page.status).toBe(303);
      const location = page.location ?? "";
      expect(location.startsWith("/") && !location.startsWith("//"), location).toBe(true);
      expect(new URL(location, `${base}/sign-in`).origin, location).toBe(origin);
    };
    // Signing in with each `next`.
    for (const attack of OPEN_REDIRECTS) {
      const { client, csrf } = await atSignInForm(base);
      landsHome(
        await client.post("/sign-in", { csrf, name: "traveller@studio", password: PASSWORD, next: attack }),
      );
    }
    // Already signed in, sent to /sign-in?next=… (as written in a link, and percent-encoded).
    const { client, csrf } = await atSignInForm(base);
    landsHome(
      await client.post("/sign-in", { csrf, name: "traveller@studio", password: PASSWORD, next: "/" }),
    );
    for (const attack of OPEN_REDIRECTS) {
      landsHome(await client.get(`/sign-in?next=${encodeURIComponent(attack)}`));
      const raw = `/sign-in?next=${attack.replace(/[#&\s\\]/g, encodeURIComponent)}`;
      landsHome(await client.get(raw));
    }

    // A real browser follows the answers: it never asks another site for anything.
    const { context, page } = await launchChromium(join(dir.path, "browser"));
    try {
      const offsite: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith(origin)) offsite.push(request.url());
      });
      await page.goto(`${base}/sign-in`);
      await page.fill("#name", "traveller@studio");
      await page.fill("#password", PASSWORD);
      await page.click("[data-test=sign-in-submit]");
      await page.waitForURL(`${origin}/`);
      for (const attack of OPEN_REDIRECTS) {
        await page.goto(`${base}/sign-in?next=${encodeURIComponent(attack)}`).catch(() => null);
        expect(new URL(page.url()).origin, attack).toBe(origin);
      }
      await page.goto(`${base}/sign-in?next=/%09/evil.example/`).catch(() => null);
      expect(new URL(page.url()).origin).toBe(origin);
      expect(offsite).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("bounded forms: oversized and malformed fields are refused with a code, and both processes live on", async () => {
    await db().query(
      "INSERT INTO devices (device_id, state, last_seen_at) VALUES ('kiosk-bounds', 'online', now()) ON CONFLICT DO NOTHING",
    );
    const { client, csrf } = await atSignInForm(centrals[1]?.url ?? "");
    const long = await client.post("/sign-in", { csrf, name: "x".repeat(65), password: PASSWORD });
    expect(long.status).toBe(400);
    expect(long.text).toContain(ErrorCodes.DASHBOARD_FORM_INVALID);
    const extra = await client.post("/sign-in", { csrf, name: "a", password: PASSWORD, role: "admin" });
    expect(extra.status).toBe(400);
    await user("operator@studio");
    expect(
      (await client.post("/sign-in", { csrf, name: "operator@studio", password: PASSWORD })).status,
    ).toBe(303);
    const token = await client.csrf();
    const version = await client.post("/kiosks/kiosk-bounds/config", {
      csrf: token,
      settings: '{"log.level":"debug"}',
      baseVersion: String(2 ** 31),
    });
    expect(version.status).toBe(400);
    expect(version.text).toContain(ErrorCodes.DASHBOARD_FORM_INVALID);
    const deep = await client.post("/kiosks/kiosk-bounds/config", {
      csrf: token,
      settings: `{"limits":${"[".repeat(10_000)}${"]".repeat(10_000)}}`,
    });
    expect(deep.status).toBe(400);
    expect(deep.text).toContain(ErrorCodes.DASHBOARD_CONFIG_INVALID);
    const reason = await client.post("/kiosks/kiosk-bounds/commands", {
      csrf: token,
      name: "lock",
      reason: "r".repeat(501),
    });
    expect(reason.status).toBe(400);
    expect(reason.text).toContain(ErrorCodes.DASHBOARD_FORM_INVALID);
    expect(await db().query("SELECT 1 FROM desired_configs")).toHaveLength(0);
    expect(await db().query("SELECT 1 FROM commands")).toHaveLength(0);
    for (const central of centrals) {
      expect(central.process.child.exitCode).toBeNull();
      expect((await fetch(`${central.url}/healthz`)).status).toBe(200);
    }
  });

  it("keeps what was already refused: CSRF, planted and forged sessions, kiosk text as markup, SQL in filters", async () => {
    const base = centrals[0]?.url ?? "";
    await user("guard@studio");
    // A session cookie planted before sign-in is never promoted; a made-up one opens nothing.
    const { client, csrf } = await atSignInForm(base);
    client.cookies.set("spectra_session", "planted-by-someone-else");
    expect((await client.post("/sign-in", { csrf, name: "guard@studio", password: PASSWORD })).status).toBe(
      303,
    );
    expect(client.cookies.get("spectra_session")).not.toBe("planted-by-someone-else");
    const forged = new DashboardClient(base);
    forged.cookies.set("spectra_session", "planted-by-someone-else");
    expect((await forged.get("/")).status).toBe(303);

    // A form from another site, or without the session's token, changes nothing.
    await db().query(
      "INSERT INTO devices (device_id, state, last_seen_at) VALUES ('kiosk-guard', 'online', now()) ON CONFLICT DO NOTHING",
    );
    const token = await client.csrf();
    const crossSite = await client.post(
      "/kiosks/kiosk-guard/commands",
      { csrf: token, name: "lock", confirm: "yes" },
      { origin: "http://evil.example" },
    );
    expect(crossSite.status).toBe(403);
    expect(crossSite.text).toContain(ErrorCodes.DASHBOARD_CSRF_INVALID);
    const tokenless = await client.post("/kiosks/kiosk-guard/commands", { name: "lock", confirm: "yes" });
    expect(tokenless.status).toBe(403);
    expect(await db().query("SELECT 1 FROM commands WHERE device_id = 'kiosk-guard'")).toHaveLength(0);

    // What a kiosk sent is shown as text, never run; pages allow no script at all.
    const markup = '<script>alert("kiosk")</script><img src=x onerror=alert(1)>';
    await db().query(
      `INSERT INTO payment_records (id, revision, device_id, kind, invoice_id, invoice_number, client_id,
         amount_minor, currency, payment_date, refundable, future_payment, method_id, method_name,
         method_type, method, status, created_at, updated_at, content_hash, received_at)
       VALUES ('rec-markup', 1, $1, 'payment', 'inv-m', $1, 'cl-m', 100, 'USD', '2026-03-02', false, false,
         'card', $1, 'card', $2, $1, now(), now(), 'x', now())`,
      [markup, JSON.stringify({ cardType: markup, maskedPan: "411111******1111" })],
    );
    const payments = await client.get("/payments");
    expect(payments.status).toBe(200);
    expect(payments.text).not.toContain("<script>alert");
    expect(payments.text).not.toContain("<img src=x");
    expect(payments.text).toContain("&lt;script&gt;");
    expect(payments.headers.get("content-security-policy")).toContain("default-src 'none'");

    // SQL in a filter is a refused filter or a plain value, never SQL.
    const injected = await client.get(`/payments?kiosk=${encodeURIComponent("' OR 1=1 --")}`);
    expect(injected.status).toBe(400);
    expect(injected.text).toContain(ErrorCodes.DASHBOARD_FILTER_INVALID);
    const letters = await client.get(`/dead-letters?code=${encodeURIComponent("' OR '1'='1")}`);
    expect(letters.status).toBe(200);
    const unknown = await client.get(`/kiosks/${encodeURIComponent("x' OR '1'='1")}`);
    expect(unknown.status).toBe(404);
    expect((await db().query("SELECT count(*)::int AS n FROM payment_records"))[0]).toEqual({ n: 2 });
  });

  // Last: it locks this machine's address out of both processes for the lockout.
  it("one address spraying a password over many names, at both processes, is stopped at the address's limit", async () => {
    await user("sprayed@studio");
    const [row] = await db().query<{ attempts: number }>(
      "SELECT attempts FROM dashboard_sign_in_addresses WHERE name = '127.0.0.1'",
    );
    const left = ADDRESS_LIMIT - (row?.attempts ?? 0);
    expect(left).toBeGreaterThan(2);
    for (let i = 0; i < left; i++) {
      const { client, csrf } = await atSignInForm(centrals[i % 2]?.url ?? "");
      const guess = await client.post("/sign-in", {
        csrf,
        name: `name-${i}@studio`,
        password: "Summer2026!!",
        next: "/",
      });
      expect(guess.status, `guess ${i + 1}`).toBe(401);
    }
    for (const central of centrals) {
      const { client, csrf } = await atSignInForm(central.url);
      // A name never tried, with its right password: refused, since the address is locked.
      const right = await client.post("/sign-in", {
        csrf,
        name: "sprayed@studio",
        password: PASSWORD,
        next: "/",
      });
      expect(right.status).toBe(429);
      expect(right.text).toContain(ErrorCodes.DASHBOARD_SIGN_IN_ADDRESS_LOCKED);
      expect(client.cookies.has("spectra_session")).toBe(false);
    }
    // No name was locked by the spray: each took one guess.
    expect(
      await db().query(
        "SELECT 1 FROM dashboard_sign_in_attempts WHERE locked_until IS NOT NULL AND name LIKE 'name-%'",
      ),
    ).toHaveLength(0);
    expect(
      await db().query("SELECT 1 FROM dashboard_sign_in_attempts WHERE name = 'sprayed@studio'"),
    ).toHaveLength(0);
  }, 90_000);
});
