import { z } from "zod";
import { PIN_HASH_PATTERN } from "./pin-hash.js";

export const STAFF_ROLES = ["cashier", "manager"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const staffMemberSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/),
  name: z.string().min(1).max(60),
  role: z.enum(STAFF_ROLES),
  /** From `spectra-kiosk staff hash-pin`; a PIN is never kept in clear. */
  pinHash: z.string().regex(PIN_HASH_PATTERN, "a hash from `spectra-kiosk staff hash-pin`, not a PIN"),
});

export type StaffMember = z.infer<typeof staffMemberSchema>;
