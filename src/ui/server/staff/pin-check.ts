import type { StaffMember } from "../../../staff/config.js";
import { verifyPin } from "../../../staff/pin-hash.js";
import type { StaffMemberView } from "../../flows/staff/index.js";

/**
 * Who a PIN belongs to, or null. Every member's hash is checked whatever matches first, so how long
 * it takes says nothing about which member (or whether any) the PIN is close to.
 */
export async function staffForPin(
  pin: string,
  staff: readonly StaffMember[],
): Promise<StaffMemberView | null> {
  if (!/^\d{4,8}$/.test(pin)) return null;
  const matches = await Promise.all(staff.map((member) => verifyPin(pin, member.pinHash).catch(() => false)));
  const member = staff[matches.indexOf(true)];
  return member ? { id: member.id, name: member.name, role: member.role } : null;
}
