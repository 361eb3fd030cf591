import { createPublicKey } from "node:crypto";
import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import type { Sql } from "../../db/central-db.js";

/** Checks a kiosk's device public key: an X25519 key in PEM, as provision-device writes it. */
export function checkDevicePublicKey(pem: string): string {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === "x25519") return key.export({ type: "spki", format: "pem" }).toString();
  } catch {
    // Reported below.
  }
  throw new KioskError(
    ErrorCodes.DASHBOARD_CONFIG_INVALID,
    "A device key is the X25519 public key provision-device wrote ({deviceId}.device-key.pub).",
  );
}

/** Records a kiosk's device public key (replacing an earlier one: a re-provisioned kiosk). */
export async function setDeviceKey(
  db: Sql,
  deviceId: string,
  pem: string,
  user: string,
  at: string,
): Promise<void> {
  const key = checkDevicePublicKey(pem);
  await db.query(
    `INSERT INTO device_keys (device_id, public_key, set_by, set_at) VALUES ($1, $2, $3, $4::timestamptz)
     ON CONFLICT (device_id) DO UPDATE SET public_key = EXCLUDED.public_key, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
    [deviceId, key, user, at],
  );
}

/** The kiosk's device public key, or a coded error saying how to set it. */
export async function deviceKeyOf(db: Sql, deviceId: string): Promise<string> {
  const [row] = await db.query<{ public_key: string }>(
    "SELECT public_key FROM device_keys WHERE device_id = $1",
    [deviceId],
  );
  if (!row) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_CONFIG_INVALID,
      `Central has no device key for ${deviceId}: set it with \`spectra-kiosk central device-key set ${deviceId} FILE\`.`,
      { deviceId },
    );
  }
  return row.public_key;
}
