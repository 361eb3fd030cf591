import { expect } from "vitest";
import type { ErrorCode } from "../../src/core/error-codes.js";
import { KioskError } from "../../src/core/kiosk-error.js";

/** Asserts that `work` throws a KioskError with this code, and returns it for further checks. */
export function expectKioskError(work: () => unknown, code: ErrorCode): KioskError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(KioskError);
    expect((error as KioskError).code).toBe(code);
    expect((error as KioskError).message).toContain(`[${code}]`);
    return error as KioskError;
  }
  throw new Error(`expected a KioskError ${code}, but nothing was thrown`);
}

export async function expectKioskErrorAsync(
  work: () => Promise<unknown>,
  code: ErrorCode,
): Promise<KioskError> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(KioskError);
    expect((error as KioskError).code).toBe(code);
    return error as KioskError;
  }
  throw new Error(`expected a KioskError ${code}, but nothing was thrown`);
}
