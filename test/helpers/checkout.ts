import type { CardService } from "../../src/checkout/cards/card-service.js";
import { Checkout } from "../../src/checkout/checkout.js";
import { ShiftDesk } from "../../src/checkout/shift-desk.js";
import type { StaffMember } from "../../src/checkout/staff/config.js";
import { hashPin } from "../../src/checkout/staff/pin-hash.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { TestStore } from "./store.js";

/** A member of staff as a test writes them: with the PIN itself, hashed for the roster. */
export type TestStaffMember = Omit<StaffMember, "pinHash"> & { readonly pin: string };

/** Checkout over a test store, as the kiosk wires it; without card processing unless given. */
export async function testCheckout(
  store: TestStore,
  options: { cards?: CardService | null; staff?: readonly TestStaffMember[] } = {},
): Promise<Checkout> {
  const staff = await Promise.all(
    (options.staff ?? []).map(async ({ pin, ...member }) => ({ ...member, pinHash: await hashPin(pin) })),
  );
  return new Checkout({
    tables: store,
    desk: new ShiftDesk({ store, currency: "USD", clock: store.clock, newId }),
    cards: options.cards ?? null,
    staff,
    clock: store.clock,
    logger: createMemoryLogger(),
  });
}
