import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { sqlOf } from "../helpers/central-queries.js";
import { DashboardClient, type Fleet, OPERATOR, startFleet } from "../helpers/dashboard.js";

/** Signs in as `name` from `address`, as nginx on this host would forward it. */
async function signInFrom(fleet: Fleet, address: string, name: string, password: string) {
  const client = new DashboardClient(fleet.url);
  const form = await client.get("/sign-in");
  return client.post(
    "/sign-in",
    { csrf: DashboardClient.csrfOf(form), name, password, next: "/" },
    { "x-forwarded-for": `203.0.113.250, ${address}` },
  );
}

describe("sign-ins counted per client address behind a trusted proxy (PostgreSQL, HTTP)", () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ trustedProxies: ["127.0.0.1"], signIn: { maxFailuresPerAddress: 3 } });
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it("one address spraying many names is refused after its limit, even the right password; other addresses are not", async () => {
    const sprayer = "198.51.100.7";
    for (const name of ["anna", "bert", "carl"]) {
      const page = await signInFrom(fleet, sprayer, name, "guessing-a-password");
      expect(page.status, name).toBe(401);
    }
    const locked = await signInFrom(fleet, sprayer, OPERATOR.name, OPERATOR.password);
    expect(locked.status).toBe(429);
    expect(locked.text).toContain(ErrorCodes.DASHBOARD_SIGN_IN_ADDRESS_LOCKED);
    expect(locked.headers.get("set-cookie") ?? "").not.toContain("spectra_session=");

    // The client's own first entry is not believed: only what the proxy appended counts.
    const elsewhere = await signInFrom(fleet, "198.51.100.8", OPERATOR.name, OPERATOR.password);
    expect([elsewhere.status, elsewhere.location]).toEqual([303, "/"]);
    const db = sqlOf(fleet.database.pool);
    expect(await db.query("SELECT name, attempts FROM dashboard_sign_in_addresses ORDER BY name")).toEqual([
      { name: sprayer, attempts: 4 },
    ]);
    // Each sprayed name took one failure only: no name was locked for its owner.
    expect(
      await db.query("SELECT name, attempts, locked_until FROM dashboard_sign_in_attempts ORDER BY name"),
    ).toEqual([
      { name: "anna", attempts: 1, locked_until: null },
      { name: "bert", attempts: 1, locked_until: null },
      { name: "carl", attempts: 1, locked_until: null },
    ]);
    const audit = await db.query<{ detail: { address?: string } }>(
      "SELECT detail FROM dashboard_audit WHERE action = 'sign-in' ORDER BY id",
    );
    expect(audit.at(-1)?.detail.address).toBe("198.51.100.8");
  });
});
