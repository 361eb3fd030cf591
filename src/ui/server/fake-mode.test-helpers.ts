import type { CardRead } from "../../drivers/card-reader/card-read.js";
import type { Screen } from "../protocol.js";
import type { Mode, ModeHost } from "./mode.js";

/** A mode with two screens, attract and find, standing in for a flow. */
export function fakeMode(): Mode & { step: "attract" | "find"; swipes: number } {
  let host: ModeHost | null = null;
  const mode = {
    name: "self-service" as const,
    step: "attract" as "attract" | "find",
    swipes: 0,
    attach: (next: ModeHost) => {
      host = next;
    },
    screen: (): Screen =>
      mode.step === "attract"
        ? { name: "self.attract", studioName: "S" }
        : {
            name: "self.find",
            invoiceNumber: "",
            lastName: "",
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
    busy: () => false,
    waitsForSwipe: () => mode.step === "find",
    cardRead: (read: CardRead) => {
      mode.swipes += 1;
      read.secrets.wipe();
    },
    cardUnreadable: () => {},
    invoiceScanned: () => {},
    scanRejected: () => {},
    showsWhileLocked: () => false,
  };
  return mode;
}
