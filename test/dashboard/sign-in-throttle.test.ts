import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignInThrottle } from "../../src/central/dashboard/auth/sign-in-throttle.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPglite } from "../../src/central/db/pglite-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { fixedClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

const LOCKOUT_MS = 60_000;

/** The same rules on both databases central runs on. */
describe.each([
  ["PostgreSQL", "postgres"],
  ["PGlite", "pglite"],
] as const)("the dashboard's sign-in throttle on %s", (_name, kind) => {
  let db: CentralDb;
  let database: TestDatabase | null = null;

  beforeAll(async () => {
    if (kind === "postgres") {
      database = await createTestDatabase();
      db = await openPostgres({ url: database.url, poolSize: 8, logger: createMemoryLogger() });
    } else {
      db = await openPglite("memory://");
    }
    await migrateCentral(db, createMemoryLogger());
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const throttle = (clock = fixedClock("2026-03-01T08:00:00Z")) => ({
    clock,
    throttle: new SignInThrottle(db, { maxFailures: 3, lockoutMs: LOCKOUT_MS }, clock),
  });

  it("checks at most the limit's passwords, then none for the lockout; a right one starts the count again", async () => {
    const { clock, throttle: names } = throttle();
    for (let i = 0; i < 3; i++) {
      expect(await names.reserve("ops")).toEqual({ allowed: true });
      await names.failed("ops");
    }
    expect(await names.reserve("ops")).toEqual({ allowed: false, lockedForMs: LOCKOUT_MS });
    expect(await names.reserve("other")).toEqual({ allowed: true });
    clock.advance(59_000);
    expect(await names.reserve("ops")).toEqual({ allowed: false, lockedForMs: 1000 });
    clock.advance(1000);
    expect(await names.reserve("ops")).toEqual({ allowed: true });
    await names.failed("ops");
    expect(await names.reserve("ops")).toEqual({ allowed: true });
    await names.succeeded("ops");
    for (let i = 0; i < 3; i++) expect(await names.reserve("ops")).toEqual({ allowed: true });
  });

  it("reserves before checking: attempts that arrive together get no more than the limit between them", async () => {
    const { throttle: names } = throttle();
    const attempts = await Promise.all(Array.from({ length: 31 }, () => names.reserve("together")));
    expect(attempts.filter((attempt) => attempt.allowed)).toHaveLength(3);
    // Two processes sharing the database share the count.
    const { throttle: elsewhere } = throttle();
    expect((await elsewhere.reserve("together")).allowed).toBe(false);
  });

  it("per address: one address spraying names is stopped at its own limit, shared by every process; a right password does not restart it", async () => {
    const clock = fixedClock("2026-05-01T08:00:00Z");
    const perAddress = () =>
      new SignInThrottle(
        db,
        { maxFailures: 4, lockoutMs: LOCKOUT_MS, table: "dashboard_sign_in_addresses" },
        clock,
      );
    const [here, there] = [perAddress(), perAddress()];
    const sprayer = "198.51.100.7";
    // A right password in between gives its attempt back, but does not forget the wrong ones.
    expect(await here.reserve(sprayer)).toEqual({ allowed: true });
    await here.release(sprayer);
    for (let i = 0; i < 4; i++) {
      const throttle = i % 2 === 0 ? here : there;
      expect((await throttle.reserve(sprayer)).allowed, `attempt ${i + 1}`).toBe(true);
      await throttle.failed(sprayer);
      if (i === 1) {
        expect((await there.reserve(sprayer)).allowed).toBe(true);
        await there.release(sprayer);
      }
    }
    expect(await there.reserve(sprayer)).toEqual({ allowed: false, lockedForMs: LOCKOUT_MS });
    expect(await here.reserve("198.51.100.8")).toEqual({ allowed: true });
    // The per-name count is another table: the names sprayed are not locked by it.
    expect((await throttle(clock).throttle.reserve(sprayer)).allowed).toBe(true);
    clock.advance(LOCKOUT_MS);
    expect((await here.reserve(sprayer)).allowed).toBe(true);
  });

  it("forgets wrong passwords after a quiet lockout, and prunes what it no longer needs", async () => {
    const { clock, throttle: names } = throttle(fixedClock("2026-04-01T08:00:00Z"));
    await names.reserve("quiet");
    await names.failed("quiet");
    await names.reserve("quiet");
    await names.failed("quiet");
    clock.advance(LOCKOUT_MS);
    // Two wrong ones a lockout ago: the count restarted, three more may be tried.
    for (let i = 0; i < 3; i++) expect((await names.reserve("quiet")).allowed).toBe(true);
    expect((await names.reserve("quiet")).allowed).toBe(false);
    clock.advance(10 * LOCKOUT_MS);
    expect(await names.prune()).toBeGreaterThanOrEqual(1);
    expect(await db.query("SELECT 1 FROM dashboard_sign_in_attempts WHERE name = 'quiet'")).toHaveLength(0);
  });
});
