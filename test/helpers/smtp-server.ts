import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { until } from "./wait.js";

/** One email as the server received it: the SMTP envelope and the parsed message. */
export interface ReceivedMail {
  readonly envelopeFrom: string | null;
  readonly envelopeTo: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The message as it came over the wire (headers and MIME parts). */
  readonly raw: string;
  /** Who signed in (SMTP AUTH), when the server asked. */
  readonly user: string | null;
  /** Whether the message came over TLS (STARTTLS, or TLS from the start). */
  readonly secure: boolean;
}

export interface TestSmtpServerOptions {
  /** Require SMTP AUTH (PLAIN/LOGIN) with these credentials; otherwise anyone may send. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Refuse every message with this reply code (e.g. 550), to act out a relay that says no. */
  readonly rejectWith?: number;
  /**
   * TLS with this key and certificate (PEM): offered by STARTTLS (a submission port, 587) or from
   * the first byte (465). Without it the server speaks plain SMTP and offers no STARTTLS.
   */
  readonly tls?: { readonly mode: "starttls" | "tls"; readonly key: string; readonly cert: string };
}

export interface TestSmtpServer {
  readonly host: string;
  readonly port: number;
  readonly messages: readonly ReceivedMail[];
  /** Waits until `count` messages have arrived; returns them all. */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on a free loopback port, keeping every message it
 * is given, parsed with `mailparser`. Plain SMTP (no STARTTLS offered: senders connect with
 * `tls: "none"`) unless `tls` is given. For central's mailer: receipts and alerts.
 */
export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const tls = options.tls;
  const server = new SMTPServer({
    secure: tls?.mode === "tls",
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    disabledCommands: [...(tls?.mode === "starttls" ? [] : ["STARTTLS"]), ...(options.auth ? [] : ["AUTH"])],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const wanted = options.auth;
      if (wanted && auth.username === wanted.user && auth.password === wanted.pass)
        callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (options.rejectWith) {
          const error = Object.assign(new Error("Message refused by the test server"), {
            responseCode: options.rejectWith,
          });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            messages.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              from: parsed.from?.text ?? "",
              to: Array.isArray(parsed.to)
                ? parsed.to.map((to) => to.text).join(", ")
                : (parsed.to?.text ?? ""),
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              raw: raw.toString("utf8"),
              user: typeof session.user === "string" ? session.user : null,
              secure: session.secure,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: "127.0.0.1",
    port,
    messages,
    async waitForMessages(count, timeoutMs = 10_000) {
      await until(() => messages.length >= count, `${count} email(s) at the test SMTP server`, timeoutMs);
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
