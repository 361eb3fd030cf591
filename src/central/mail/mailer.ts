import { readFileSync } from "node:fs";
import nodemailer from "nodemailer";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import { readOwnerOnlySecret } from "../../core/secret-file.js";
import type { MailConfig } from "./config.js";

/** One email: plain text and HTML of the same content. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Central's outgoing mail, for whatever central sends (receipts and fleet alerts). */
export interface Mailer {
  /** Hands the message to the SMTP server; MAIL_SEND_FAILED (with the server's answer) otherwise. */
  send(message: MailMessage): Promise<{ readonly messageId: string }>;
  close(): void;
}

/**
 * A mailer on the configured SMTP server (nodemailer): STARTTLS required, TLS from the start, or
 * plain; the password read from its owner-only file. Nothing about the password reaches a log or an
 * error: nodemailer's own logging stays off, and errors carry only the server's reply.
 */
export function createMailer(config: MailConfig, logger: Logger): Mailer {
  const password = config.auth
    ? readOwnerOnlySecret(config.auth.passwordFile, /^[^\r\n]{1,1024}$/, "the SMTP password")
    : null;
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.tls === "tls",
    requireTLS: config.tls === "starttls",
    ignoreTLS: config.tls === "none",
    ...(config.caFile ? { tls: { ca: readFileSync(config.caFile, "utf8") } } : {}),
    ...(config.auth && password ? { auth: { user: config.auth.user, pass: password } } : {}),
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    logger: false,
    debug: false,
  });
  const from = config.from.name
    ? { name: config.from.name, address: config.from.address }
    : config.from.address;
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
        });
        logger.info("email sent", { messageId: info.messageId });
        return { messageId: info.messageId };
      } catch (error) {
        const reason = smtpReason(error);
        logger.warn(`email not sent: ${reason}`);
        throw new KioskError(
          ErrorCodes.MAIL_SEND_FAILED,
          `The mail server did not take the email: ${reason}`,
        );
      }
    },
    close() {
      transport.close();
    },
  };
}

/** What went wrong, from nodemailer's error: its code and the server's reply, never the credentials. */
function smtpReason(error: unknown): string {
  const { code, responseCode, response, message } = error as {
    code?: string;
    responseCode?: number;
    response?: string;
    message?: string;
  };
  const said = response ?? message ?? "unknown error";
  return `${code ?? "ERROR"}${responseCode ? ` ${responseCode}` : ""}: ${said}`.slice(0, 240);
}
