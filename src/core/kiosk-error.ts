import type { ErrorCode } from "./error-codes.js";

/** Facts about an error that help an operator; never card data, PINs or raw device input. */
export type ErrorContext = Readonly<Record<string, string | number | boolean | null>>;

/**
 * The one error type of the project. The code is stable (tests, logs and the screen key on it);
 * the message says what happened and what to do, and starts with the code so a log line is enough.
 */
export class KioskError extends Error {
  override readonly name = "KioskError";

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`[${code}] ${detail}`, options);
  }

  toJSON(): { code: ErrorCode; message: string; context: ErrorContext } {
    return { code: this.code, message: this.detail, context: this.context };
  }
}

export function isKioskError(value: unknown, code?: ErrorCode): value is KioskError {
  return value instanceof KioskError && (code === undefined || value.code === code);
}
