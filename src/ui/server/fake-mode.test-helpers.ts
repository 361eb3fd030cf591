import type { CardRead } from "../../drivers/card-reader/card-read.js";
import type { Screen } from "../protocol.js";
import type { Mode, ModeHost } from "./mode.js";

/** A mode with two screens, attract and find, standing in for a flow. */
export function fakeMode(): Mode & {
  step: "attract" | "find";
  swipes: number;
  /** What central's accounts last changed, shown on the find screen (as if its balance was). */
  changedInvoices: readonly string[];
  charging: boolean;
  /** A charge under way finishes: the mode tells its host. */
  finishCharge(): void;
} {
  let host: ModeHost | null = null;
  const mode = {
    name: "self-service" as const,
    step: "attract" as "attract" | "find",
    swipes: 0,
    changedInvoices: [] as readonly string[],
    charging: false,
    finishCharge: () => {
      mode.charging = false;
      host?.changed();
    },
    attach: (next: ModeHost) => {
      host = next;
    },
    screen: (): Screen =>
      mode.step === "attract"
        ? { name: "self.attract", studioName: "S" }
        : {
            name: "self.find",
            invoiceNumber: "",
            lastName: mode.changedInvoices.join(","),
            field: "invoiceNumber",
            searching: false,
            problem: null,
          },
    touch: (action: string) => {
      if (action !== "start" || mode.step !== "attract") return false;
      mode.step = "find";
      host?.changed();
      return true;
    },
    reset: () => {
      mode.step = "attract";
    },
    idleExempt: () => mode.step === "attract",
    busy: () => mode.charging,
    waitsForSwipe: () => mode.step === "find",
    cardRead: (read: CardRead) => {
      mode.swipes += 1;
      read.secrets.wipe();
    },
    cardUnreadable: () => {},
    invoiceScanned: () => {},
    scanRejected: () => {},
    invoicesChanged: (invoiceIds: readonly string[]) => {
      mode.changedInvoices = invoiceIds;
      host?.updated();
    },
    showsWhileLocked: () => false,
  };
  return mode;
}
