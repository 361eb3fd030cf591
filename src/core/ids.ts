import { v7 as uuidv7 } from "uuid";

/** Time-ordered ids (UUIDv7) made on the kiosk: unique across the fleet without asking central. */
export function newId(): string {
  return uuidv7();
}

export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
