import { readFileSync, statSync } from "node:fs";
import { ErrorCodes } from "./error-codes.js";
import { KioskError } from "./kiosk-error.js";

/**
 * One secret (an API key, a signing secret) on one line of a file that only its owner can read (no
 * group or other permission bits), checked against the secret's shape. The secret is never put in
 * an error or a log; `what` names it for the message.
 */
export function readOwnerOnlySecret(path: string, pattern: RegExp, what: string): string {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new KioskError(
      ErrorCodes.SECRET_FILE_INVALID,
      `The secret file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
      { path },
    );
  }
  if ((mode & 0o077) !== 0) {
    throw new KioskError(
      ErrorCodes.SECRET_FILE_INVALID,
      `The secret file ${path} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it.`,
      { path },
    );
  }
  const secret = text.trim();
  if (!pattern.test(secret)) {
    throw new KioskError(ErrorCodes.SECRET_FILE_INVALID, `The file ${path} does not hold ${what}.`, { path });
  }
  return secret;
}
