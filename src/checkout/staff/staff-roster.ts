import type { StaffMember } from "./config.js";
import { verifyPin } from "./pin-hash.js";

/** A member of staff as the kiosk knows them once signed in: never the PIN's hash. */
export type SignedInStaff = Pick<StaffMember, "id" | "name" | "role">;

/**
 * Who a PIN belongs to, or null. Every member's hash is checked whatever matches first, so how long
 * it takes says nothing about which member (or whether any) the PIN is close to.
 */
export async function staffForPin(pin: string, staff: readonly StaffMember[]): Promise<SignedInStaff | null> {
  if (!/^\d{4,8}$/.test(pin)) return null;
  const matches = await Promise.all(staff.map((member) => verifyPin(pin, member.pinHash).catch(() => false)));
  const member = staff[matches.indexOf(true)];
  return member ? { id: member.id, name: member.name, role: member.role } : null;
}
