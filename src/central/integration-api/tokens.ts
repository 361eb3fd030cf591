import { createHash, randomBytes } from "node:crypto";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Sql } from "../db/central-db.js";

/** An integration's name: who posts (e.g. "spectra-front-desk"). */
export const INTEGRATION_NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
/** A token as handed out: the prefix says what it is for, 32 random bytes make it unguessable. */
const TOKEN = /^spk_int_[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string): string => createHash("sha256").update(token).digest("hex");

function checkName(name: string): void {
  if (!INTEGRATION_NAME.test(name))
    throw new KioskError(
      ErrorCodes.CLI_USAGE,
      `"${name.slice(0, 80)}" is not an integration name: 2–64 lowercase letters, digits, . _ -, starting with a letter or digit.`,
    );
}

/**
 * Makes a token for an integration and returns it — the only time it is seen: central keeps its
 * SHA-256 hash. A name that has a token already (revoked or not) is refused: revoke, then add a new name.
 */
export async function addIntegrationToken(db: Sql, name: string, at: string): Promise<string> {
  checkName(name);
  const token = `spk_int_${randomBytes(32).toString("base64url")}`;
  const rows = await db.query(
    `INSERT INTO integration_tokens (name, token_hash, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO NOTHING RETURNING name`,
    [name, hashOf(token), at],
  );
  if (rows.length === 0)
    throw new KioskError(
      ErrorCodes.INTEGRATION_TOKEN_EXISTS,
      `Integration ${name} has a token already; revoke it and add the integration under a new name.`,
      { name },
    );
  return token;
}

/** Revokes an integration's token at once: every request with it is refused from then on. */
export async function revokeIntegrationToken(db: Sql, name: string, at: string): Promise<void> {
  checkName(name);
  const rows = await db.query(
    "UPDATE integration_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE name = $1 RETURNING name",
    [name, at],
  );
  if (rows.length === 0)
    throw new KioskError(ErrorCodes.INTEGRATION_TOKEN_UNKNOWN, `No integration is named ${name}.`, { name });
}

export interface IntegrationRow {
  readonly name: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

export async function listIntegrations(db: Sql): Promise<IntegrationRow[]> {
  const rows = await db.query<{
    name: string;
    created_at: Date | string;
    revoked_at: Date | string | null;
    last_used_at: Date | string | null;
  }>("SELECT name, created_at, revoked_at, last_used_at FROM integration_tokens ORDER BY name");
  const iso = (value: Date | string | null): string | null =>
    value === null ? null : new Date(value).toISOString();
  return rows.map((row) => ({
    name: row.name,
    createdAt: iso(row.created_at) as string,
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
  }));
}

/** The integration a bearer token belongs to, if it is one and not revoked; null otherwise. */
export async function integrationFor(db: Sql, token: string, at: string): Promise<string | null> {
  if (!TOKEN.test(token)) return null;
  const rows = await db.query<{ name: string }>(
    `UPDATE integration_tokens SET last_used_at = $2
      WHERE token_hash = $1 AND revoked_at IS NULL RETURNING name`,
    [hashOf(token), at],
  );
  return rows[0]?.name ?? null;
}
