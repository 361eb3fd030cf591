import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";

/**
 * Turns SQLite's failures into the kiosk's coded errors. The transaction that hit one has already
 * rolled back, so the message can promise that nothing was half-written.
 */
export function storeError(error: unknown, doing: string): unknown {
  if (error instanceof KioskError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return error;
  const context = { sqliteCode: code, doing };
  if (code.startsWith("SQLITE_FULL")) {
    return new KioskError(
      ErrorCodes.STORE_DISK_FULL,
      `The kiosk's disk is full, so ${doing} was not saved (nothing was half-written). Free space, then try again.`,
      context,
      { cause: error },
    );
  }
  if (code.startsWith("SQLITE_READONLY")) {
    return new KioskError(
      ErrorCodes.STORE_READ_ONLY,
      `The kiosk's database is read-only, so ${doing} was not saved. Check the data directory's permissions and mount.`,
      context,
      { cause: error },
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new KioskError(
      ErrorCodes.STORE_BUSY,
      `The database was busy, so ${doing} was not saved; try again.`,
      context,
      {
        cause: error,
      },
    );
  }
  if (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB")) {
    return new KioskError(
      ErrorCodes.STORE_DAMAGED,
      `The kiosk's database is damaged, so ${doing} was not saved. The kiosk is out of service: restore from backup.`,
      context,
      { cause: error },
    );
  }
  if (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN")) {
    return new KioskError(
      ErrorCodes.STORE_UNAVAILABLE,
      `The kiosk could not read or write its database, so ${doing} was not saved. Check the disk.`,
      context,
      { cause: error },
    );
  }
  return error;
}

/** Runs `work`, rethrowing SQLite failures as coded errors. */
export function guarded<T>(doing: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw storeError(error, doing);
  }
}
