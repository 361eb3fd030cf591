import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { Mailer, MailMessage } from "../mail/mailer.js";
import { AlertNotifier, type AlertNotifierDeps } from "./alert-notifier.js";
import type { AlertChange } from "./alert-store.js";
import type { ClaimedNotification, SendStart } from "./notification-outbox.js";
import type { DeliveryResult } from "./webhook-poster.js";

const change = (id: string, event: "raised" | "cleared"): AlertChange => ({
  event,
  alert: {
    id,
    deviceId: "kiosk-a",
    rule: "offline",
    raisedAt: "2026-12-03T10:00:00.000Z",
    clearedAt: event === "cleared" ? "2026-12-03T10:05:00.000Z" : null,
    detail: "offline since …",
  },
});

type Outbox = AlertNotifierDeps["outbox"];

/**
 * An outbox kept in memory (this tests the notifier alone; notification-outbox.ts is tested against
 * PostgreSQL): `starts` says how each send begins, `settled` keeps each outcome in order.
 */
function memoryOutbox(starts: Record<string, SendStart> = {}): Outbox & {
  settled: [string, DeliveryResult][];
  released: string[][];
} {
  const settled: [string, DeliveryResult][] = [];
  const released: string[][] = [];
  return {
    settled,
    released,
    startSend: async (id) => starts[id] ?? "send",
    settle: async (id, result) => {
      settled.push([id, result]);
      return true;
    },
    release: async (ids) => {
      released.push([...ids]);
    },
  };
}

const claimed = (id: string, channel: "email" | "webhook", change: AlertChange): ClaimedNotification => ({
  id,
  channel,
  change,
});

/** A mailer that refuses the first `failures` messages, as a relay briefly down would. */
function flakyMailer(failures: number): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  let refused = 0;
  return {
    sent,
    send: async (message) => {
      if (refused < failures) {
        refused++;
        throw new KioskError(ErrorCodes.MAIL_SEND_FAILED, "The mail server did not take the email: 451");
      }
      sent.push(message);
      return { messageId: `<${sent.length}@test>` };
    },
    close: () => {},
  };
}

describe("the alert notifier", () => {
  it("emails every change in order, one message to all recipients, retrying a refusal, and records each outcome", async () => {
    const outbox = memoryOutbox();
    const mailer = flakyMailer(1);
    const logger = createMemoryLogger();
    const notifier = new AlertNotifier({
      outbox,
      email: { mailer, to: ["a@studio.example", "b@studio.example"], attempts: 2 },
      webhook: null,
      dashboardUrl: "https://fleet.example",
      logger,
    });
    notifier.notify([
      claimed("11", "email", change("1", "raised")),
      claimed("12", "email", change("1", "cleared")),
    ]);
    await notifier.settled();
    expect(mailer.sent.map((mail) => [mail.to, mail.subject])).toEqual([
      ["a@studio.example, b@studio.example", "[Spectra] Alert: Offline — kiosk-a"],
      ["a@studio.example, b@studio.example", "[Spectra] Cleared: Offline — kiosk-a"],
    ]);
    expect(outbox.settled).toEqual([
      ["11", { outcome: "sent", attempts: 2, error: null }],
      ["12", { outcome: "sent", attempts: 1, error: null }],
    ]);
    await notifier.stop();
  });

  it("logs a send that failed every attempt with its code, records it, and goes on with the next", async () => {
    const outbox = memoryOutbox();
    const mailer = flakyMailer(1);
    const logger = createMemoryLogger();
    const notifier = new AlertNotifier({
      outbox,
      email: { mailer, to: ["a@studio.example"], attempts: 1 },
      webhook: null,
      dashboardUrl: null,
      logger,
    });
    notifier.notify([
      claimed("7", "email", change("7", "raised")),
      claimed("8", "email", change("8", "raised")),
    ]);
    await notifier.settled();
    expect(outbox.settled.map(([id, result]) => [id, result.outcome])).toEqual([
      ["7", "failed"],
      ["8", "sent"],
    ]);
    expect(String(outbox.settled[0]?.[1].error)).toContain("[MAIL_SEND_FAILED]");
    expect(logger.lines.join("\n")).toContain(ErrorCodes.ALERT_EMAIL_FAILED);
    await notifier.stop();
  });

  it("sends nothing whose claim another process took over or that waited too long, and records nothing for it", async () => {
    const outbox = memoryOutbox({ "21": "lost", "22": "expired" });
    const mailer = flakyMailer(0);
    const logger = createMemoryLogger();
    const notifier = new AlertNotifier({
      outbox,
      email: { mailer, to: ["a@studio.example"], attempts: 1 },
      webhook: null,
      dashboardUrl: null,
      logger,
    });
    notifier.notify([
      claimed("21", "email", change("21", "raised")),
      claimed("22", "email", change("22", "raised")),
      claimed("23", "email", change("23", "cleared")),
    ]);
    await notifier.settled();
    expect(mailer.sent.map((mail) => mail.subject)).toEqual(["[Spectra] Cleared: Offline — kiosk-a"]);
    expect(outbox.settled.map(([id]) => id)).toEqual(["23"]);
    expect(logger.lines.join("\n")).toContain(ErrorCodes.ALERT_NOTIFICATION_EXPIRED);
    await notifier.stop();
  });

  it("on stop gives back the claims of what it has not begun, and sends nothing after", async () => {
    const outbox = memoryOutbox();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: string[] = [];
    const mailer: Mailer = {
      send: async (message) => {
        sent.push(message.subject);
        await held;
        return { messageId: "<1@test>" };
      },
      close: () => {},
    };
    const notifier = new AlertNotifier({
      outbox,
      email: { mailer, to: ["a@studio.example"], attempts: 1 },
      webhook: null,
      dashboardUrl: null,
      logger: createMemoryLogger(),
    });
    notifier.notify([
      claimed("31", "email", change("31", "raised")),
      claimed("32", "email", change("32", "raised")),
      claimed("33", "email", change("33", "cleared")),
    ]);
    // The first is being sent when central stops; the other two have not begun.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = notifier.stop();
    release();
    await stopped;
    expect(sent).toHaveLength(1);
    expect(outbox.released).toEqual([["32", "33"]]);
    expect(outbox.settled.map(([id, result]) => [id, result.outcome])).toEqual([["31", "sent"]]);
    expect(notifier.room()).toBe(0);
  });

  it("sends nothing when no channel is configured", async () => {
    const outbox = memoryOutbox();
    const notifier = new AlertNotifier({
      outbox,
      email: null,
      webhook: null,
      dashboardUrl: null,
      logger: createMemoryLogger(),
    });
    expect(notifier.channels).toEqual([]);
    expect(notifier.room()).toBe(0);
  });
});
