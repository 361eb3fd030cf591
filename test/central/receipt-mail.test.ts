import { EventEmitter } from "node:events";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mailConfigSchema } from "../../src/central/mail/config.js";
import { createMailer } from "../../src/central/mail/mailer.js";
import { ReceiptMailWorker } from "../../src/central/mail/receipt-mail-worker.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { ReceiptDocument } from "../../src/payments/receipt/receipt-document.js";
import { ReceiptMailClient } from "../../src/sync/agent/receipt-mail-client.js";
import { decodeMessage, encodeMessage } from "../../src/sync/protocol/codec.js";
import type {
  ReceiptEmailMessage,
  ReceiptEmailResultMessage,
} from "../../src/sync/protocol/receipt-messages.js";
import { deviceTopic, downlinkFilter } from "../../src/sync/protocol/topics.js";
import { expectKioskErrorAsync } from "../helpers/kiosk-error.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { startTestSmtpServer, type TestSmtpServer } from "../helpers/smtp-server.js";
import { sleep } from "../helpers/wait.js";

const PASSWORD = "smtp-Secret-9f3!x";
const RECEIPT: ReceiptDocument = {
  language: "es",
  kind: "payment",
  studioName: "Estudio Fotográfico Peña",
  studioAddress: ["Calle Mayor 5"],
  title: "PAGO",
  notices: [],
  rows: [{ label: "Importe", value: "187,50 €", strong: true }],
  recordLabel: "Registro",
  recordId: "rec-1",
  thanks: "¡Gracias!",
  subject: "Su recibo de Estudio Fotográfico Peña - factura M-1001",
};

const secrets = scratchDir("spectra-smtp-");
function passwordFile(text = PASSWORD): string {
  const file = join(secrets.path, `password-${newId()}`);
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
afterAll(() => secrets.remove());

const mailConfig = (smtp: TestSmtpServer, pass = PASSWORD) =>
  mailConfigSchema.parse({
    host: smtp.host,
    port: smtp.port,
    tls: "none",
    auth: { user: "studio", passwordFile: passwordFile(pass) },
    from: { address: "recibos@estudio.example" },
    timeoutMs: 5000,
  });

describe("central's mailer on a real SMTP server", () => {
  let smtp: TestSmtpServer;
  afterEach(async () => smtp?.close());

  it("signs in and delivers plain text and HTML, logging no password", async () => {
    smtp = await startTestSmtpServer({ auth: { user: "studio", pass: PASSWORD } });
    const logger = createMemoryLogger();
    const mailer = createMailer(mailConfig(smtp), logger);
    await mailer.send({
      to: "ana@ejemplo.es",
      subject: "Recibo – Peña",
      text: "Importe 187,50 €",
      html: "<p>187,50 €</p>",
    });
    mailer.close();
    const [mail] = await smtp.waitForMessages(1);
    expect(mail?.user).toBe("studio");
    expect(mail?.subject).toBe("Recibo – Peña");
    expect(mail?.text.trim()).toBe("Importe 187,50 €");
    expect(mail?.html).toContain("187,50 €");
    expect(logger.lines.join("\n")).not.toContain(PASSWORD);
  });

  it("says MAIL_SEND_FAILED with the server's reply for a wrong password or a refused message", async () => {
    smtp = await startTestSmtpServer({ auth: { user: "studio", pass: PASSWORD } });
    const logger = createMemoryLogger();
    const wrong = createMailer(mailConfig(smtp, "not-the-password"), logger);
    const error = await expectKioskErrorAsync(
      () => wrong.send({ to: "ana@ejemplo.es", subject: "s", text: "t", html: "h" }),
      ErrorCodes.MAIL_SEND_FAILED,
    );
    expect((error as Error).message).toContain("535");
    expect(`${(error as Error).message}\n${logger.lines.join("\n")}`).not.toContain("not-the-password");
    wrong.close();
    await smtp.close();

    smtp = await startTestSmtpServer({ rejectWith: 550 });
    const refused = createMailer({ ...mailConfig(smtp), auth: null }, logger);
    const rejection = await expectKioskErrorAsync(
      () => refused.send({ to: "ana@ejemplo.es", subject: "s", text: "t", html: "h" }),
      ErrorCodes.MAIL_SEND_FAILED,
    );
    expect((rejection as Error).message).toContain("550");
    refused.close();
    expect(smtp.messages).toHaveLength(0);
  });
});

/** The kiosk's end of the line, on its own MQTT connection: what the sync agent does for the client. */
class KioskLine extends EventEmitter<{ receiptEmailResult: [ReceiptEmailResultMessage] }> {
  constructor(
    readonly client: MqttClient,
    private readonly deviceId: string,
  ) {
    super();
    client.on("message", (topic, payload) => {
      const decoded = decodeMessage(topic, payload, { direction: "down", maxBytes: 64 * 1024 });
      if (decoded.ok && decoded.value.kind === "receiptEmailResult")
        this.emit("receiptEmailResult", decoded.value.payload);
    });
  }

  askReceiptEmail(request: ReceiptEmailMessage): boolean {
    const message = encodeMessage("receiptEmail", this.deviceId, request, {
      messageId: newId(),
      sentAt: new Date().toISOString(),
    });
    this.client.publish(message.topic, message.body, { qos: 1 });
    return true;
  }
}

describe("emailed receipts over MQTT (real Mosquitto, real SMTP server)", () => {
  let broker: PrivateMosquitto;
  let smtp: TestSmtpServer;
  let worker: ReceiptMailWorker;
  let kiosk: MqttClient;
  let line: KioskLine;
  const logger = createMemoryLogger();

  beforeAll(async () => {
    broker = await startMosquitto();
    smtp = await startTestSmtpServer({ auth: { user: "studio", pass: PASSWORD } });
    worker = new ReceiptMailWorker({
      mailer: createMailer(mailConfig(smtp), logger),
      perKioskPerHour: 3,
      endpoint: { url: broker.url, protocolVersion: 5, keepaliveSeconds: 5 },
      shareGroup: "receipt-mail",
      backoff: { initialDelayMs: 50, maxDelayMs: 500 },
      logger,
      newId,
      now: () => new Date(),
    });
    worker.start();
    kiosk = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: "kiosk-mail-test" });
    await kiosk.subscribeAsync(downlinkFilter("kiosk-mail-test"), { qos: 1 });
    line = new KioskLine(kiosk, "kiosk-mail-test");
    await sleep(300);
  }, 30_000);
  afterAll(async () => {
    await kiosk?.endAsync();
    await worker?.stop();
    await smtp?.close();
    await broker?.dispose();
  });

  it("sends the kiosk's receipt and answers it under the request's id", async () => {
    const client = new ReceiptMailClient(line, { timeoutMs: 10_000, newId });
    await client.send({ to: "ana@ejemplo.es", receipt: RECEIPT });
    const [mail] = await smtp.waitForMessages(1);
    expect(mail?.envelopeTo).toEqual(["ana@ejemplo.es"]);
    expect(mail?.subject).toBe(RECEIPT.subject);
    expect(mail?.text).toContain("187,50 €");
  });

  it("drops what is not a receipt request (two addresses, a line break in a field, too many rows, garbage, oversized) and keeps working", async () => {
    const topic = deviceTopic("kiosk-mail-test", "up", "receipts/email");
    const envelope = (payload: unknown) =>
      JSON.stringify({
        schema: 1,
        messageId: newId(),
        deviceId: "kiosk-mail-test",
        sentAt: new Date().toISOString(),
        payload,
      });
    for (const body of [
      envelope({ requestId: newId(), to: "a@b.com, c@d.com", receipt: RECEIPT }),
      envelope({
        requestId: newId(),
        to: "ana@ejemplo.es",
        receipt: { ...RECEIPT, title: "x\r\nBcc: c@d.com" },
      }),
      envelope({
        requestId: newId(),
        to: "ana@ejemplo.es",
        receipt: { ...RECEIPT, rows: Array(50).fill(RECEIPT.rows[0]) },
      }),
      "not json",
      "x".repeat(100_000),
    ])
      await kiosk.publishAsync(topic, body, { qos: 1 });
    await sleep(500);
    expect(smtp.messages).toHaveLength(1);
    const client = new ReceiptMailClient(line, { timeoutMs: 10_000, newId });
    await client.send({ to: "bo@example.com", receipt: RECEIPT });
    await smtp.waitForMessages(2);
  });

  it("holds a kiosk to its hourly allowance with a coded refusal", async () => {
    const client = new ReceiptMailClient(line, { timeoutMs: 10_000, newId });
    await client.send({ to: "cy@example.com", receipt: RECEIPT });
    await expectKioskErrorAsync(
      () => client.send({ to: "di@example.com", receipt: RECEIPT }),
      ErrorCodes.RECEIPT_EMAIL_REFUSED,
    );
    await sleep(200);
    expect(smtp.messages.map((mail) => mail.envelopeTo[0])).not.toContain("di@example.com");
  });

  it("tells a kiosk that is not connected at once, without queueing", async () => {
    const offline = { askReceiptEmail: () => false, on: () => offline, off: () => offline };
    const client = new ReceiptMailClient(offline, { timeoutMs: 10_000, newId });
    const started = Date.now();
    await expectKioskErrorAsync(
      () => client.send({ to: "ana@ejemplo.es", receipt: RECEIPT }),
      ErrorCodes.RECEIPT_EMAIL_OFFLINE,
    );
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe("central without a mail server", () => {
  it("refuses every emailed receipt with MAIL_NOT_CONFIGURED", async () => {
    const worker = new ReceiptMailWorker({
      mailer: null,
      perKioskPerHour: 1,
      endpoint: { url: "mqtt://127.0.0.1:1", protocolVersion: 5, keepaliveSeconds: 5 },
      shareGroup: null,
      backoff: { initialDelayMs: 50, maxDelayMs: 500 },
      logger: createMemoryLogger(),
      newId,
      now: () => new Date(),
    });
    const answer = await worker.send("kiosk-x", {
      requestId: newId(),
      to: "ana@ejemplo.es",
      receipt: RECEIPT,
    });
    expect(answer).toMatchObject({ outcome: "refused", code: ErrorCodes.MAIL_NOT_CONFIGURED });
  });
});
