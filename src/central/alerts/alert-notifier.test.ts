import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { Sql } from "../db/central-db.js";
import type { Mailer, MailMessage } from "../mail/mailer.js";
import { AlertNotifier } from "./alert-notifier.js";
import type { AlertChange } from "./alert-store.js";

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

/** What the notifier records, kept instead of written (this tests the notifier alone). */
function recordingSql(): Sql & { rows: unknown[][] } {
  const rows: unknown[][] = [];
  return {
    rows,
    query: async <Row extends object>(_text: string, params?: readonly unknown[]) => {
      rows.push([...(params ?? [])]);
      return [] as Row[];
    },
  };
}

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
    const db = recordingSql();
    const mailer = flakyMailer(1);
    const logger = createMemoryLogger();
    const notifier = new AlertNotifier({
      db,
      email: { mailer, to: ["a@studio.example", "b@studio.example"], attempts: 2 },
      webhook: null,
      dashboardUrl: "https://fleet.example",
      logger,
      now: () => new Date("2026-12-03T10:06:00.000Z"),
    });
    notifier.notify([change("1", "raised"), change("1", "cleared")]);
    await notifier.settled();
    expect(mailer.sent.map((mail) => [mail.to, mail.subject])).toEqual([
      ["a@studio.example, b@studio.example", "[Spectra] Alert: Offline — kiosk-a"],
      ["a@studio.example, b@studio.example", "[Spectra] Cleared: Offline — kiosk-a"],
    ]);
    // alert id, event, channel, outcome, attempts, error, at
    expect(db.rows.map((row) => row.slice(0, 5))).toEqual([
      ["1", "raised", "email", "sent", 2],
      ["1", "cleared", "email", "sent", 1],
    ]);
    await notifier.stop();
  });

  it("logs a send that failed every attempt with its code, records it, and goes on with the next", async () => {
    const db = recordingSql();
    const mailer = flakyMailer(1);
    const logger = createMemoryLogger();
    const notifier = new AlertNotifier({
      db,
      email: { mailer, to: ["a@studio.example"], attempts: 1 },
      webhook: null,
      dashboardUrl: null,
      logger,
      now: () => new Date(),
    });
    notifier.notify([change("7", "raised"), change("8", "raised")]);
    await notifier.settled();
    expect(db.rows.map((row) => row.slice(0, 4))).toEqual([
      ["7", "raised", "email", "failed"],
      ["8", "raised", "email", "sent"],
    ]);
    expect(String(db.rows[0]?.[5])).toContain("[MAIL_SEND_FAILED]");
    expect(logger.lines.join("\n")).toContain(ErrorCodes.ALERT_EMAIL_FAILED);
    await notifier.stop();
  });

  it("sends nothing when no channel is configured", async () => {
    const db = recordingSql();
    const notifier = new AlertNotifier({
      db,
      email: null,
      webhook: null,
      dashboardUrl: null,
      logger: createMemoryLogger(),
      now: () => new Date(),
    });
    expect(notifier.channels).toEqual([]);
    notifier.notify([change("1", "raised")]);
    await notifier.settled();
    expect(db.rows).toEqual([]);
  });
});
