import { describe, expect, it } from "vitest";
import type { LockState } from "../../checkout/checkout-types.js";
import { fixedClock } from "../../core/clock.js";
import { isKioskError } from "../../core/kiosk-error.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { CardRead } from "../../drivers/card-reader/card-read.js";
import type { ScreenMessage } from "../protocol.js";
import { fakeMode } from "./fake-mode.test-helpers.js";
import { warningSeconds } from "./idle.js";
import { UiSession } from "./session.js";

function setup() {
  const clock = fixedClock("2026-11-26T10:00:00Z");
  const mode = fakeMode();
  let lock: LockState = { locked: false };
  const session = new UiSession({
    modes: { "self-service": mode },
    idleTimeoutSeconds: 30,
    locales: ["en-US", "es-US"],
    timeZone: "America/Denver",
    devPanel: false,
    lock: () => lock,
    status: () => ({ online: true, waitingToSync: 0, reader: "ready", smartReader: "none", cards: "ready" }),
    clock,
    logger: createMemoryLogger(),
  });
  const sent: ScreenMessage[] = [];
  session.subscribe((message) => sent.push(message));
  return {
    clock,
    mode,
    session,
    sent,
    setLock: (next: LockState) => {
      lock = next;
      session.lockChanged();
    },
  };
}

function card(): CardRead & { wiped: () => boolean } {
  let wiped = false;
  return {
    secrets: {
      wipe: () => {
        wiped = true;
      },
    },
    wiped: () => wiped,
  } as unknown as CardRead & { wiped: () => boolean };
}

describe("UI session", () => {
  it("pushes every change with a rising sequence number, and the current screen to a newcomer", () => {
    const { session, sent } = setup();
    session.touch({ type: "touch", action: "start" });
    expect(sent.map((message) => message.screen.name)).toEqual(["self.find"]);
    expect(session.current().screen.name).toBe("self.find");
    session.touch({ type: "touch", action: "locale", value: "es-US" });
    expect(sent.at(-1)?.locale).toBe("es-US");
    expect(sent.at(-1)?.seq).toBeGreaterThan(sent[0]?.seq ?? Number.POSITIVE_INFINITY);
  });

  it("refuses a touch that does not apply with a coded error, changing nothing", () => {
    const { session, sent } = setup();
    let error: unknown;
    try {
      session.touch({ type: "touch", action: "pay" });
    } catch (caught) {
      error = caught;
    }
    expect(isKioskError(error, "UI_ACTION_UNAVAILABLE")).toBe(true);
    expect(() => session.touch({ type: "touch", action: "locale", value: "fr-FR" })).toThrow(
      /UI_ACTION_UNAVAILABLE/,
    );
    expect(() => session.touch({ type: "touch", action: "staff" })).toThrow(/UI_ACTION_UNAVAILABLE/);
    expect(sent).toEqual([]);
  });

  it("warns before the idle timeout, then clears the screen", () => {
    const { session, sent, clock, mode } = setup();
    session.touch({ type: "touch", action: "start" });
    session.touch({ type: "touch", action: "locale", value: "es-US" });
    clock.advance((30 - warningSeconds(30)) * 1000 - 1);
    session.tick();
    expect(session.current().overlay).toBeNull();
    clock.advance(1);
    session.tick();
    expect(session.current().overlay).toEqual({ kind: "idle-warning", secondsLeft: warningSeconds(30) });
    clock.advance(warningSeconds(30) * 1000);
    session.tick();
    expect(mode.step).toBe("attract");
    expect(session.current()).toMatchObject({
      overlay: null,
      screen: { name: "self.attract" },
      locale: "en-US",
    });
    expect(sent.some((message) => message.overlay !== null)).toBe(true);
  });

  it("a touch during the warning keeps the screen", () => {
    const { session, clock, mode } = setup();
    session.touch({ type: "touch", action: "start" });
    clock.advance(29_000);
    session.tick();
    expect(session.current().overlay).not.toBeNull();
    session.touch({ type: "touch", action: "stay" });
    expect(session.current().overlay).toBeNull();
    clock.advance(20_000);
    session.tick();
    expect(mode.step).toBe("find");
  });

  it("pushes a screen that central's balances changed, without holding off the idle timeout", () => {
    const { session, sent, clock, mode } = setup();
    session.touch({ type: "touch", action: "start" });
    clock.advance(29_000);
    session.tick();
    expect(session.current().overlay).not.toBeNull();
    const before = sent.length;
    session.invoicesChanged(["inv-1"]);
    expect(mode.changedInvoices).toEqual(["inv-1"]);
    expect(sent.length).toBe(before + 1);
    expect(sent.at(-1)).toMatchObject({ screen: { name: "self.find", lastName: "inv-1" } });
    // Nobody touched the screen: the countdown runs out as it would have.
    expect(session.current().overlay).not.toBeNull();
    clock.advance(1_000);
    session.tick();
    expect(mode.step).toBe("attract");
  });

  it("shows out of service while locked and clears what was on the screen", () => {
    const { session, mode, setLock } = setup();
    session.touch({ type: "touch", action: "start" });
    setLock({ locked: true, reason: "Closed for the day", by: "mgr", at: "2026-11-26T10:00:00Z" });
    expect(session.current().screen).toEqual({
      name: "common.out-of-service",
      reason: "Closed for the day",
      staffSignIn: false,
    });
    expect(mode.step).toBe("attract");
    expect(() => session.touch({ type: "touch", action: "start" })).toThrow(/UI_ACTION_UNAVAILABLE/);
    setLock({ locked: false });
    expect(session.current().screen.name).toBe("self.attract");
  });

  it("a lock set during a charge lets it finish, then clears the screen behind Out of service", () => {
    const { session, mode, setLock } = setup();
    session.touch({ type: "touch", action: "start" });
    mode.charging = true;
    setLock({ locked: true, reason: "Closed", by: "central", at: "2026-11-26T10:00:00Z" });
    expect(session.current().screen.name).toBe("self.find");
    expect(mode.step).toBe("find");
    mode.finishCharge();
    expect(mode.step).toBe("attract");
    expect(session.current().screen.name).toBe("common.out-of-service");
  });

  it("gives a card to the mode only when its screen waits for one; wipes it otherwise", () => {
    const { session, mode } = setup();
    const early = card();
    session.cardRead(early);
    expect(early.wiped()).toBe(true);
    expect(mode.swipes).toBe(0);
    session.touch({ type: "touch", action: "start" });
    session.cardRead(card());
    expect(mode.swipes).toBe(1);
  });
});
