import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CARDS } from "../../src/drivers/card-reader/fixtures/test-cards.js";
import { sqlOf } from "../helpers/central-queries.js";
import { externalBroker, postgresCentral } from "../helpers/kiosk-config.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { invoice } from "../helpers/payments.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { startTestSmtpServer, type TestSmtpServer } from "../helpers/smtp-server.js";
import { kioskRecords, MANAGER_PIN, openInvoice, signIn } from "../helpers/staff-screen.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-mail-01";
const SMTP_USER = "receipts@studio.example";
const SMTP_PASSWORD = "smtp-secret-Vx9!kq2";

const PORTRAITS = invoice({
  id: "inv-m1",
  number: "M-1001",
  totalMinor: 25_000,
  currency: "EUR",
  client: { id: "client-m1", firstName: "Ángela", lastName: "Peña" },
});

const ALBUM = invoice({
  id: "inv-m2",
  number: "M-2002",
  totalMinor: 40_000,
  currency: "EUR",
  client: { id: "client-m2", firstName: "Bo", lastName: "Li" },
});

const STUDIO = {
  name: "Estudio Fotográfico Peña",
  address: ["Calle Mayor 5", "28013 Madrid"],
  timeZone: "Europe/Madrid",
  currency: "EUR",
  locales: ["es-ES", "en-US"],
};

describe("an emailed receipt: typed on the screen, asked of central over MQTT, sent through a real SMTP server", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let screen: KioskScreen;
  const secrets = scratchDir("spectra-mail-secrets-");

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    smtp = await startTestSmtpServer({ auth: { user: SMTP_USER, pass: SMTP_PASSWORD } });
    const passwordFile = join(secrets.path, "smtp.password");
    writeFileSync(passwordFile, SMTP_PASSWORD, { mode: 0o600 });
    chmodSync(passwordFile, 0o600);
    screen = await startKioskScreen({
      deviceId: DEVICE,
      invoices: [PORTRAITS, ALBUM],
      sync: { broker: externalBroker(broker.url) },
      central: {
        ...postgresCentral(database.url, broker.url),
        mail: {
          host: smtp.host,
          port: smtp.port,
          tls: "none",
          auth: { user: SMTP_USER, passwordFile },
          from: { address: "recibos@estudio.example", name: "Estudio Fotográfico Peña" },
        },
      },
      extra: { studio: STUDIO, log: { level: "debug" } },
    });
    await until(
      async () =>
        (
          await sqlOf(database.pool)
            .query("SELECT 1 FROM devices WHERE state = 'online'")
            .catch(() => [])
        ).length === 1,
      "the kiosk online at central",
      30_000,
    );
    await signIn(screen, MANAGER_PIN);
  }, 90_000);

  afterAll(async () => {
    await screen?.stop();
    await smtp?.close();
    await broker?.dispose();
    await database?.drop();
    secrets.remove();
  });

  it("emails a staff cash payment's receipt in Spanish, with the studio's name and address and the amount", async () => {
    await openInvoice(screen, "M-1001");
    await screen.tap("key-clear");
    await screen.typeKeys("18750");
    await screen.tap("method-cash");
    await screen.tap("quick-cash-20000");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.saved");
    await screen.tap("email-receipt");
    await screen.page.waitForSelector('[data-testid="email-sheet"]');

    // A wrong address is refused on the screen and never leaves the kiosk.
    for (const key of "ana@ejemplo") await screen.tap(`email-key-${key}`);
    await screen.tap("email-send");
    await screen.page.waitForSelector('[data-testid="email-error"][data-code="RECEIPT_EMAIL_INVALID"]');
    await screen.tap("email-key-.es");
    await screen.shoot("ui-staff-email-receipt");
    await screen.tap("email-send");
    await screen.page.waitForSelector('[data-testid="email-sent"]', { timeout: 20_000 });
    await screen.shoot("ui-staff-email-sent");

    const [mail] = await smtp.waitForMessages(1);
    if (!mail) throw new Error("no email");
    expect(smtp.messages).toHaveLength(1);
    expect(mail.user).toBe(SMTP_USER);
    expect(mail.envelopeTo).toEqual(["ana@ejemplo.es"]);
    expect(mail.from).toContain("recibos@estudio.example");
    expect(mail.subject).toBe("Su recibo de Estudio Fotográfico Peña - factura M-1001");
    const record = kioskRecords(screen.databaseFile).at(-1);
    for (const body of [mail.text, mail.html]) {
      for (const part of [
        "Estudio Fotográfico Peña",
        "Calle Mayor 5",
        "28013 Madrid",
        "PAGO",
        "Importe",
        "187,50",
        "Cambio",
        "12,50",
        "Ángela Peña",
        record?.id ?? "no record",
      ])
        expect(body, part).toContain(part);
    }
    expect(mail.text).toMatch(/Importe\s+187,50\s€/);
    expect(mail.html).toContain('lang="es"');
    // The SMTP password is in no log line of the kiosk or central.
    expect(screen.kiosk.output()).not.toContain(SMTP_PASSWORD);
  });

  it("emails in English when the screen is in English", async () => {
    await screen.tap("email-close");
    await screen.tap("done");
    await screen.waitForScreen("staff.home");
    await screen.tap("home-receipts");
    await screen.waitForScreen("staff.receipts");
    // The status bar's language button: Spanish → English.
    await screen.tap("locale");
    await screen.page.waitForSelector('html[lang="en-US"], [data-testid="locale"]');
    const record = kioskRecords(screen.databaseFile).at(-1);
    if (!record) throw new Error("no record");
    await screen.tap(`email-${record.id}`);
    await screen.page.waitForSelector('[data-testid="email-sheet"]');
    for (const key of "bo@example") await screen.tap(`email-key-${key}`);
    await screen.tap("email-key-.com");
    await screen.tap("email-send");
    await screen.page.waitForSelector('[data-testid="email-sent"]', { timeout: 20_000 });
    const mails = await smtp.waitForMessages(2);
    const mail = mails[1];
    if (!mail) throw new Error("no second email");
    expect(mail.envelopeTo).toEqual(["bo@example.com"]);
    expect(mail.subject).toBe("Your receipt from Estudio Fotográfico Peña - invoice M-1001");
    expect(mail.text).toMatch(/Amount\s+€187\.50/);
    expect(mail.text).toContain("Change");
  });

  it("a client at the counter emails their card receipt from the self-service screen", async () => {
    await screen.tap("email-close");
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
    await screen.tap("sign-out");
    await screen.waitForScreen("self.attract");
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("M-2002");
    await screen.tap("field-lastName");
    await screen.typeKeys("LI");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    await screen.typeKeys("10000");
    await screen.tap("confirm");
    await screen.waitForScreen("self.method");
    await screen.tap("method-card");
    await screen.waitForScreen("self.swipe");
    await screen.swipe(TEST_CARDS.visa);
    await screen.waitForScreen("self.receipt", 20_000);
    await screen.tap("email-receipt");
    await screen.page.waitForSelector('[data-testid="email-sheet"]');
    for (const key of "li@example") await screen.tap(`email-key-${key}`);
    await screen.tap("email-key-.com");
    await screen.tap("email-send");
    await screen.page.waitForSelector('[data-testid="email-sent"]', { timeout: 20_000 });
    await screen.shoot("ui-self-email-sent");
    const mails = await smtp.waitForMessages(3);
    const mail = mails[2];
    if (!mail) throw new Error("no third email");
    expect(mail.envelopeTo).toEqual(["li@example.com"]);
    expect(mail.subject).toBe("Your receipt from Estudio Fotográfico Peña - invoice M-2002");
    expect(mail.text).toMatch(/Amount\s+€100\.00/);
    expect(mail.text).toContain("Bo Li");
    // Masked number only: never the full card number.
    expect(mail.raw).not.toContain(TEST_CARDS.visa.pan);
    await screen.tap("email-close");
    await screen.waitForScreen("self.thank-you");
  }, 60_000);
});
