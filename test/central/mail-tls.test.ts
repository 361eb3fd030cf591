import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailConfig, mailConfigSchema } from "../../src/central/mail/config.js";
import { createMailer } from "../../src/central/mail/mailer.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { startTestSmtpServer, type TestSmtpServer } from "../helpers/smtp-server.js";

const MESSAGE = {
  to: "owner@studio.example",
  subject: "Kiosk offline",
  text: "Lake 1",
  html: "<p>Lake 1</p>",
};

/**
 * Central's mailer against a real SMTP server speaking TLS (smtp-server with a certificate from the
 * broker's own certificate script, scripts/make-broker-certs.sh): STARTTLS on a submission port,
 * TLS from the first byte, and the two refusals that keep mail from going out in clear or to a
 * server nobody vouched for.
 */
describe("central's mail over TLS", () => {
  let dir: string;
  let tls: { key: string; cert: string };
  const servers: TestSmtpServer[] = [];
  const mailer = (server: TestSmtpServer, settings: Partial<MailConfig>) =>
    createMailer(
      mailConfigSchema.parse({
        host: server.host,
        port: server.port,
        from: { address: "kiosks@studio.example" },
        timeoutMs: 5_000,
        caFile: join(dir, "ca.crt"),
        ...settings,
      }),
      createMemoryLogger(),
    );
  const serve = async (options: Parameters<typeof startTestSmtpServer>[0]) => {
    const server = await startTestSmtpServer(options);
    servers.push(server);
    return server;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "spectra-mail-tls-"));
    const made = spawnSync("bash", ["scripts/make-broker-certs.sh", "--dir", dir, "--host", "127.0.0.1"], {
      encoding: "utf8",
    });
    if (made.status !== 0) throw new Error(`make-broker-certs.sh failed: ${made.stderr}`);
    tls = {
      key: readFileSync(join(dir, "broker.key"), "utf8"),
      cert: readFileSync(join(dir, "broker.crt"), "utf8"),
    };
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("upgrades with STARTTLS before sending, trusting the relay through caFile", async () => {
    const server = await serve({ tls: { mode: "starttls", ...tls } });
    const sender = mailer(server, { tls: "starttls" });
    await sender.send(MESSAGE);
    sender.close();
    const [mail] = await server.waitForMessages(1);
    expect(mail).toMatchObject({ secure: true, subject: "Kiosk offline", envelopeTo: [MESSAGE.to] });
  });

  it("speaks TLS from the first byte on an implicit-TLS port", async () => {
    const server = await serve({ tls: { mode: "tls", ...tls } });
    const sender = mailer(server, { tls: "tls" });
    await sender.send(MESSAGE);
    sender.close();
    expect((await server.waitForMessages(1))[0]?.secure).toBe(true);
  });

  it("refuses to send in clear to a relay that offers no STARTTLS, and sends nothing", async () => {
    const server = await serve({});
    const sender = mailer(server, { tls: "starttls" });
    const refused = await sender.send(MESSAGE).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: ErrorCodes.MAIL_SEND_FAILED });
    expect(String((refused as Error).message)).toMatch(/ETLS/); // nodemailer: the STARTTLS upgrade failed;
    sender.close();
    expect(server.messages).toHaveLength(0);
  });

  it("refuses a relay whose certificate no trusted authority signed, and sends nothing", async () => {
    const server = await serve({ tls: { mode: "starttls", ...tls } });
    const sender = mailer(server, { tls: "starttls", caFile: null });
    const refused = await sender.send(MESSAGE).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: ErrorCodes.MAIL_SEND_FAILED });
    expect(String((refused as Error).message)).toMatch(/certificate/i);
    sender.close();
    expect(server.messages).toHaveLength(0);
  });
});
