import type { CardService } from "../../../checkout/cards/card-service.js";
import type { Ledger } from "../../../checkout/ledger.js";
import { ShiftDesk } from "../../../checkout/shift-desk.js";
import type { KioskConfig } from "../../../config/schema.js";
import type { Clock } from "../../../core/clock.js";
import { newId } from "../../../core/ids.js";
import type { Logger } from "../../../core/logger.js";
import type { Drivers } from "../../../drivers/drivers.js";
import type { KioskStore } from "../../../store/kiosk-store.js";
import { StaffMode } from "./staff-mode.js";
import { staffSetup } from "./staff-setup.js";

/** The staff mode for a kiosk in service: its flow setup, shift desk, card service and cash drawer. */
export function createStaffMode(deps: {
  config: KioskConfig;
  store: KioskStore & { readonly ledger: Ledger };
  cards: CardService;
  drivers: Drivers;
  clock: Clock;
  logger: Logger;
}): StaffMode {
  const { config, store, clock } = deps;
  return new StaffMode({
    setup: staffSetup(config),
    timeZone: config.studio.timeZone,
    store,
    desk: new ShiftDesk({ store, currency: config.studio.currency, clock, newId }),
    cards: deps.cards,
    cashDrawer: deps.drivers.cashDrawer,
    staff: config.staff,
    clock,
    logger: deps.logger,
  });
}
