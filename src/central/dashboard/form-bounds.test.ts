import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { checkForm, FORMS, TOKEN_ONLY } from "./form-bounds.js";

const form = (fields: [string, string][]) => new URLSearchParams(fields);
const token = "t".repeat(43);

describe("checkForm", () => {
  it("takes each form's own fields within their lengths", () => {
    checkForm(
      form([
        ["csrf", token],
        ["name", "ops@studio"],
        ["password", "p".repeat(1024)],
        ["next", "/"],
      ]),
      FORMS.signIn,
    );
    checkForm(
      form([
        ["csrf", token],
        ["name", "lock"],
        ["reason", "cleaning"],
        ["confirm", "yes"],
      ]),
      FORMS.command,
    );
    checkForm(form([["csrf", token]]), TOKEN_ONLY);
  });

  it("refuses a field too long, repeated or unknown, naming it", () => {
    const cases: [URLSearchParams, string][] = [
      [
        form([
          ["csrf", token],
          ["name", "x".repeat(65)],
        ]),
        "name is longer than 64",
      ],
      [
        form([
          ["csrf", token],
          ["password", "p".repeat(1025)],
        ]),
        "password is longer than 1024",
      ],
      [
        form([
          ["csrf", token],
          ["name", "a"],
          ["name", "b"],
        ]),
        "name is sent twice",
      ],
      [
        form([
          ["csrf", token],
          ["isAdmin", "1"],
        ]),
        "does not take (isAdmin)",
      ],
    ];
    for (const [fields, problem] of cases) {
      const error = expectKioskError(
        () => checkForm(fields, FORMS.signIn),
        ErrorCodes.DASHBOARD_FORM_INVALID,
      );
      expect(error.detail).toContain(problem);
    }
    expectKioskError(
      () =>
        checkForm(
          form([
            ["csrf", token],
            ["x", "1"],
          ]),
          TOKEN_ONLY,
        ),
      ErrorCodes.DASHBOARD_FORM_INVALID,
    );
  });

  it("takes a few other fields where the form has arguments, each bounded", () => {
    const args = (count: number, length = 10): [string, string][] =>
      Array.from({ length: count }, (_, i) => [`arg${i}`, "v".repeat(length)]);
    checkForm(form([["csrf", token], ["name", "lock"], ...args(4)]), FORMS.command);
    expectKioskError(
      () => checkForm(form([["csrf", token], ...args(5)]), FORMS.command),
      ErrorCodes.DASHBOARD_FORM_INVALID,
    );
    expectKioskError(
      () => checkForm(form([["csrf", token], ...args(1, 501)]), FORMS.command),
      ErrorCodes.DASHBOARD_FORM_INVALID,
    );
    expectKioskError(
      () =>
        checkForm(
          form([
            ["csrf", token],
            ["__proto__", "x"],
          ]),
          FORMS.command,
        ),
      ErrorCodes.DASHBOARD_FORM_INVALID,
    );
  });
});
