import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { systemClock } from "../core/clock.js";
import { createMemoryLogger } from "../core/logger.js";
import { fullSwipe, TEST_CARDS } from "./card-reader/swipe-builder.js";
import { driversConfigSchema } from "./config.js";
import { createDrivers } from "./drivers.js";
import { drawerKick } from "./printer/escpos.js";
import { SAMPLE_RECEIPT } from "./printer/printer-contract.test-helpers.js";

const deps = { logger: createMemoryLogger(), clock: systemClock };

describe("driversConfigSchema", () => {
  it("defaults to a simulated card reader and no scanner or printer", () => {
    const config = driversConfigSchema.parse({});
    expect(config.cardReader).toMatchObject({ mode: "simulated", role: "cards", rejectExpired: true });
    expect(config.scanner.mode).toBe("none");
    expect(config.printer.mode).toBe("none");
  });

  it.each([
    [{ cardReader: { mode: "serial", path: "/dev/ttyUSB0", baud: 9600 } }, "baud: unknown key"],
    [{ cashDrawerVia: "printer" }, "needs a printer"],
    [{ gpio: { cashDrawer: { pin: 17 }, statusLight: { pin: 17 } } }, "same BCM pin"],
    [{ cardReader: { mode: "simulated", invoicePattern: "([" } }, "regular expression"],
    [
      { cardReader: { mode: "serial", path: "/dev/x" }, scanner: { mode: "serial", path: "/dev/x" } },
      "card reader's port too",
    ],
  ])("refuses %j", (input, message) => {
    const result = driversConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    const text = JSON.stringify(result.error?.issues);
    expect(text.includes(message) || text.includes(message.split(":")[0] ?? "")).toBe(true);
  });
});

describe("createDrivers with every device simulated", () => {
  const config = driversConfigSchema.parse({
    cardReader: { mode: "simulated", role: "both" },
    gpio: {
      mode: "simulated",
      cashDrawer: { pin: 17, pulseMs: 20 },
      statusLight: { pin: 27 },
      tamperSwitch: { pin: 22 },
    },
    printer: { mode: "simulated" },
    cashDrawerVia: "printer",
  });

  it("starts, reads a swipe and a scan, prints, kicks the drawer through the printer, and stops", async () => {
    const drivers = createDrivers(config, deps);
    await drivers.start();
    try {
      const reader = drivers.cardReader;
      const line = drivers.simulated.cardReader;
      const printer = drivers.printer;
      if (!reader || !line || !printer || !drivers.simulated.printer)
        throw new Error("a simulated device is missing");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(drivers.health().map((health) => [health.device, health.state])).toEqual([
        ["card-reader", "connected"],
        ["gpio", "simulated"],
        ["printer", "ready"],
      ]);
      const read = once(reader, "cardRead");
      line.emitData(`${fullSwipe(TEST_CARDS.visa)}\r`);
      expect((await read)[0]).toMatchObject({ maskedPan: "411111******1111" });
      const scan = once(reader, "invoiceScan");
      line.emitData("INV-7\r");
      expect((await scan)[0]).toEqual({ invoiceNumber: "INV-7", source: "code" });

      expect(await printer.print(SAMPLE_RECEIPT)).toEqual({ printed: true });
      await drivers.cashDrawer?.open();
      expect(drivers.simulated.printer.printed.includes(drawerKick())).toBe(true);
    } finally {
      await drivers.stop();
    }
    expect(drivers.cardReader?.health.state).toBe("disconnected");
  });
});
