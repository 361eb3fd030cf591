import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { roleNeeded } from "./access.js";
import { parseRole, roleAtLeast } from "./auth/roles.js";

describe("dashboard access", () => {
  it("lets any signed-in user look at a user route, and only operators and admins post to it", () => {
    expect(roleNeeded("user", "GET")).toBe("viewer");
    expect(roleNeeded("user", "HEAD")).toBe("viewer");
    expect(roleNeeded("user", "POST")).toBe("operator");
    expect(roleNeeded("viewer", "POST")).toBe("viewer");
    expect(roleNeeded("admin", "GET")).toBe("admin");
    expect(roleNeeded("public", "POST")).toBeNull();
  });

  it("orders the roles: each may do what the ones before it may", () => {
    expect(roleAtLeast("admin", "operator")).toBe(true);
    expect(roleAtLeast("operator", "operator")).toBe(true);
    expect(roleAtLeast("operator", "admin")).toBe(false);
    expect(roleAtLeast("viewer", "operator")).toBe(false);
    expect(roleAtLeast("viewer", "viewer")).toBe(true);
  });

  it("reads a role as typed, and refuses anything else with a code", () => {
    expect(parseRole(" Operator ")).toBe("operator");
    expectKioskError(() => parseRole("root"), ErrorCodes.DASHBOARD_ROLE_INVALID);
    expectKioskError(() => parseRole("__proto__"), ErrorCodes.DASHBOARD_ROLE_INVALID);
    expectKioskError(() => parseRole(""), ErrorCodes.DASHBOARD_ROLE_INVALID);
  });
});
