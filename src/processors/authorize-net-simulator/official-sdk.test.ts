import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAuthorizeNetSimulator, startAuthorizeNetSimulator } from "./authorize-net-simulator.js";

/**
 * The simulator driven by Authorize.Net's official Node SDK (`authorizenet`, a second client beside
 * the kiosk's own), so that it accepts what the SDK sends and answers what the SDK reads: if the
 * simulator drifted from the real wire format, these would fail. The SDK talks plain HTTP here (it
 * cannot be given a CA); the kiosk's own client talks to the simulator over TLS.
 */
const require = createRequire(import.meta.url);
/** The SDK ships no types: its classes, controllers and answers are reached untyped here. */
// biome-ignore lint/suspicious/noExplicitAny: the SDK has no type declarations.
type Sdk = any;
const { APIContracts: C, APIControllers: K } = require("authorizenet") as Record<
  "APIContracts" | "APIControllers",
  Sdk
>;

let simulator: RunningAuthorizeNetSimulator;
let clock = new Date("2026-06-01T12:00:00Z");

beforeAll(async () => {
  simulator = await startAuthorizeNetSimulator({ tls: false, now: () => clock, settlementTimeUtc: "23:00" });
});
afterAll(() => simulator?.close());

/** Runs one SDK controller against the simulator; the SDK calls back only on success, so time out. */
function run(Controller: new (json: unknown) => Sdk, request: Sdk): Promise<Sdk> {
  const controller = new Controller(request.getJSON());
  controller.setEnvironment(simulator.endpoint);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(controller.getError() ?? new Error("no answer")), 5_000);
    controller.execute(() => {
      clearTimeout(timer);
      resolve(controller.getResponse());
    });
  });
}

function authenticated(request: Sdk, key = simulator.transactionKey): Sdk {
  const auth = new C.MerchantAuthenticationType();
  auth.setName(simulator.apiLoginId);
  auth.setTransactionKey(key);
  request.setMerchantAuthentication(auth);
  return request;
}

interface Sale {
  /** authCaptureTransaction unless given (authOnlyTransaction: the saved-card verification). */
  type?: string;
  track1?: string;
  profile?: { customerProfileId: string; paymentProfileId: string };
  amount: string;
  invoice?: string;
  duplicateWindow?: number;
}

async function sale(options: Sale): Promise<Sdk> {
  const transaction = new C.TransactionRequestType();
  transaction.setTransactionType(options.type ?? C.TransactionTypeEnum.AUTHCAPTURETRANSACTION);
  transaction.setAmount(options.amount);
  if (options.track1) {
    const track = new C.CreditCardTrackType();
    track.setTrack1(options.track1);
    const payment = new C.PaymentType();
    payment.setTrackData(track);
    transaction.setPayment(payment);
    const retail = new C.TransRetailInfoType();
    retail.setMarketType("2");
    retail.setDeviceType("3");
    transaction.setRetail(retail);
  }
  if (options.profile) {
    const paymentProfile = new C.PaymentProfile();
    paymentProfile.setPaymentProfileId(options.profile.paymentProfileId);
    const profile = new C.CustomerProfilePaymentType();
    profile.setCustomerProfileId(options.profile.customerProfileId);
    profile.setPaymentProfile(paymentProfile);
    transaction.setProfile(profile);
  }
  if (options.invoice) {
    const order = new C.OrderType();
    order.setInvoiceNumber(options.invoice);
    transaction.setOrder(order);
  }
  if (options.duplicateWindow !== undefined) {
    const setting = new C.SettingType();
    setting.setSettingName("duplicateWindow");
    setting.setSettingValue(String(options.duplicateWindow));
    const settings = new C.ArrayOfSetting();
    settings.setSetting([setting]);
    transaction.setTransactionSettings(settings);
  }
  const request = authenticated(new C.CreateTransactionRequest());
  request.setTransactionRequest(transaction);
  return new C.CreateTransactionResponse(await run(K.CreateTransactionController, request));
}

async function followUp(type: string, refTransId: string, amount?: string, last4?: string): Promise<Sdk> {
  const transaction = new C.TransactionRequestType();
  transaction.setTransactionType(type);
  if (amount) transaction.setAmount(amount);
  if (last4) {
    const card = new C.CreditCardType();
    card.setCardNumber(`XXXX${last4}`);
    card.setExpirationDate("XXXX");
    const payment = new C.PaymentType();
    payment.setCreditCard(card);
    transaction.setPayment(payment);
  }
  transaction.setRefTransId(refTransId);
  const request = authenticated(new C.CreateTransactionRequest());
  request.setTransactionRequest(transaction);
  return new C.CreateTransactionResponse(await run(K.CreateTransactionController, request));
}

const track1 = (pan: string, expiry = "3012") => `%B${pan}^DOE/JANE^${expiry}1010000000000000?`;
const errorCode = (response: Sdk): string =>
  response.getTransactionResponse().getErrors().getError()[0].getErrorCode();

describe("the Authorize.Net simulator, driven by the official SDK", () => {
  it("charges a swiped card's track 1 (retail, self-service terminal) and says so as the API does", async () => {
    const response = await sale({ track1: track1("4111111111111111"), amount: "12.34", invoice: "SDK-1" });
    expect(response.getMessages().getResultCode()).toBe(C.MessageTypeEnum.OK);
    expect(response.getMessages().getMessage()[0].getCode()).toBe("I00001");
    const answer = response.getTransactionResponse();
    expect(answer.getResponseCode()).toBe("1");
    expect(answer.getTransId()).toMatch(/^\d+$/);
    expect(answer.getAuthCode()).toMatch(/^[0-9A-F]{6}$/);
    expect(answer.getAccountNumber()).toBe("XXXX1111");
    expect(answer.getMessages().getMessage()[0].getCode()).toBe("1");
  });

  it("answers with a byte-order mark before the JSON, and refuses members out of the schema's order", async () => {
    const send = (body: unknown) =>
      fetch(simulator.endpoint, { method: "POST", body: JSON.stringify(body) }).then((r) => r.arrayBuffer());
    const auth = { name: simulator.apiLoginId, transactionKey: simulator.transactionKey };
    const raw = Buffer.from(await send({ authenticateTestRequest: { merchantAuthentication: auth } }));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(JSON.parse(raw.subarray(3).toString()).messages.resultCode).toBe("Ok");
    const misordered = Buffer.from(
      await send({
        createTransactionRequest: {
          merchantAuthentication: auth,
          transactionRequest: { amount: "5.00", transactionType: "authCaptureTransaction" },
        },
      }),
    );
    const answer = JSON.parse(misordered.subarray(3).toString());
    expect(answer.messages.message[0].code).toBe("E00003");
    expect(answer.messages.message[0].text).toContain("has invalid child element 'transactionType'");
  });

  it("refuses wrong credentials with E00007", async () => {
    const request = authenticated(new C.AuthenticateTestRequest(), "WrongKey00000000");
    const response = new C.AuthenticateTestResponse(await run(K.AuthenticateTestController, request));
    expect(response.getMessages().getResultCode()).toBe(C.MessageTypeEnum.ERROR);
    expect(response.getMessages().getMessage()[0].getCode()).toBe("E00007");
  });

  it("gives the reason code the amount names on test card 4222222222222", async () => {
    const declined = await sale({ track1: track1("4222222222222"), amount: "2.00" });
    expect(declined.getMessages().getMessage()[0].getCode()).toBe("E00027");
    expect(declined.getTransactionResponse().getResponseCode()).toBe("2");
    expect(errorCode(declined)).toBe("2");
    const referral = await sale({ track1: track1("4222222222222"), amount: "3.00" });
    expect(errorCode(referral)).toBe("3");
    const held = await sale({ track1: track1("4222222222222"), amount: "252.00" });
    expect(held.getTransactionResponse().getResponseCode()).toBe("4");
    const approved = await sale({ track1: track1("4222222222222"), amount: "9.99" });
    expect(approved.getTransactionResponse().getResponseCode()).toBe("1");
    const expired = await sale({ track1: track1("4111111111111111", "2001"), amount: "1.00" });
    expect(expired.getTransactionResponse().getResponseCode()).toBe("3");
    expect(errorCode(expired)).toBe("317");
  });

  it("answers a repeat inside the duplicate window with reason 11 and the original's id and code", async () => {
    const first = await sale({
      track1: track1("5424000000000015"),
      amount: "20.00",
      invoice: "SDK-DUP",
      duplicateWindow: 28_800,
    });
    const again = await sale({
      track1: track1("5424000000000015"),
      amount: "20.00",
      invoice: "SDK-DUP",
      duplicateWindow: 28_800,
    });
    expect(again.getTransactionResponse().getResponseCode()).toBe("3");
    expect(errorCode(again)).toBe("11");
    expect(again.getTransactionResponse().getTransId()).toBe(first.getTransactionResponse().getTransId());
    expect(again.getTransactionResponse().getAuthCode()).toBe(first.getTransactionResponse().getAuthCode());
    // Another invoice number is another transaction.
    const other = await sale({
      track1: track1("5424000000000015"),
      amount: "20.00",
      invoice: "SDK-DUP-2",
      duplicateWindow: 28_800,
    });
    expect(other.getTransactionResponse().getResponseCode()).toBe("1");
  });

  it("voids before settlement, refunds after it (in part, to the same card, never beyond the charge)", async () => {
    const voided = await sale({ track1: track1("4007000000027"), amount: "7.00" });
    const voidAnswer = await followUp(
      C.TransactionTypeEnum.VOIDTRANSACTION,
      voided.getTransactionResponse().getTransId(),
    );
    expect(voidAnswer.getTransactionResponse().getResponseCode()).toBe("1");
    const charge = await sale({ track1: track1("4012888818888"), amount: "50.00" });
    const transId = charge.getTransactionResponse().getTransId();
    const early = await followUp(C.TransactionTypeEnum.REFUNDTRANSACTION, transId, "10.00", "8888");
    expect(errorCode(early)).toBe("54");
    clock = new Date("2026-06-01T23:30:00Z"); // past the 23:00 cut-off: the next call settles
    const part = await followUp(C.TransactionTypeEnum.REFUNDTRANSACTION, transId, "30.00", "8888");
    expect(part.getTransactionResponse().getResponseCode()).toBe("1");
    expect(errorCode(await followUp(C.TransactionTypeEnum.REFUNDTRANSACTION, transId, "20.01", "8888"))).toBe(
      "55",
    );
    expect(errorCode(await followUp(C.TransactionTypeEnum.REFUNDTRANSACTION, transId, "1.00", "1111"))).toBe(
      "54",
    );
    expect(errorCode(await followUp(C.TransactionTypeEnum.VOIDTRANSACTION, transId))).toBe("16");
  });

  it("lists unsettled transactions, settled batches and their transactions, and a transaction's details", async () => {
    const charge = await sale({ track1: track1("6011000000000012"), amount: "4.56", invoice: "SDK-LIST" });
    const transId = charge.getTransactionResponse().getTransId();
    const unsettled = new C.GetUnsettledTransactionListResponse(
      await run(
        K.GetUnsettledTransactionListController,
        authenticated(new C.GetUnsettledTransactionListRequest()),
      ),
    );
    const listed = unsettled
      .getTransactions()
      .getTransaction()
      .find((t: Sdk) => t.getTransId() === transId);
    expect(listed.getInvoiceNumber()).toBe("SDK-LIST");
    expect(listed.getTransactionStatus()).toBe("capturedPendingSettlement");
    expect(listed.getSettleAmount()).toBe(4.56);

    clock = new Date("2026-06-02T23:01:00Z");
    const batches = new C.GetSettledBatchListResponse(
      await run(K.GetSettledBatchListController, authenticated(new C.GetSettledBatchListRequest())),
    );
    const batchId = batches.getBatchList().getBatch().at(-1).getBatchId();
    const inBatchRequest = authenticated(new C.GetTransactionListRequest());
    inBatchRequest.setBatchId(batchId);
    const inBatch = new C.GetTransactionListResponse(
      await run(K.GetTransactionListController, inBatchRequest),
    );
    const settled = inBatch
      .getTransactions()
      .getTransaction()
      .find((t: Sdk) => t.getTransId() === transId);
    expect(settled.getTransactionStatus()).toBe("settledSuccessfully");

    const detailsRequest = authenticated(new C.GetTransactionDetailsRequest());
    detailsRequest.setTransId(transId);
    const details = new C.GetTransactionDetailsResponse(
      await run(K.GetTransactionDetailsController, detailsRequest),
    );
    expect(details.getTransaction().getOrder().getInvoiceNumber()).toBe("SDK-LIST");
    expect(details.getTransaction().getPayment().getCreditCard().getCardNumber()).toBe("XXXX0012");
    expect(details.getTransaction().getBatch().getBatchId()).toBe(batchId);
  });

  it("saves an approved sale's card as a customer profile and charges the profile later", async () => {
    const charge = await sale({ track1: track1("370000000000002"), amount: "15.00" });
    const request = authenticated(new C.CreateCustomerProfileFromTransactionRequest());
    request.setTransId(charge.getTransactionResponse().getTransId());
    const customer = new C.CustomerProfileBaseType();
    customer.setDescription("client 42");
    request.setCustomer(customer);
    const created = new C.CreateCustomerProfileResponse(
      await run(K.CreateCustomerProfileFromTransactionController, request),
    );
    expect(created.getMessages().getResultCode()).toBe(C.MessageTypeEnum.OK);
    const customerProfileId = created.getCustomerProfileId();
    const paymentProfileId = created.getCustomerPaymentProfileIdList().getNumericString()[0];
    const later = await sale({
      profile: { customerProfileId, paymentProfileId },
      amount: "25.00",
      invoice: "SDK-PROFILE",
    });
    expect(later.getTransactionResponse().getResponseCode()).toBe("1");
    expect(later.getTransactionResponse().getAccountNumber()).toBe("XXXX0002");
  });

  it("saves a card from a $0.01 authorization, voids it, and charges the profile (the kiosk's saveCard)", async () => {
    const verification = await sale({
      type: C.TransactionTypeEnum.AUTHONLYTRANSACTION,
      track1: track1("5424000000000015"),
      amount: "0.01",
      invoice: "SDK-VERIFY",
    });
    expect(verification.getTransactionResponse().getResponseCode()).toBe("1");
    const transId = verification.getTransactionResponse().getTransId();
    const request = authenticated(new C.CreateCustomerProfileFromTransactionRequest());
    request.setTransId(transId);
    const customer = new C.CustomerProfileBaseType();
    customer.setDescription("Spectra client 43");
    request.setCustomer(customer);
    const created = new C.CreateCustomerProfileResponse(
      await run(K.CreateCustomerProfileFromTransactionController, request),
    );
    expect(created.getMessages().getResultCode()).toBe(C.MessageTypeEnum.OK);
    const voided = await followUp(C.TransactionTypeEnum.VOIDTRANSACTION, transId);
    expect(voided.getTransactionResponse().getResponseCode()).toBe("1");
    expect(simulator.books.transactions.get(transId)?.status).toBe("voided");
    const later = await sale({
      profile: {
        customerProfileId: created.getCustomerProfileId(),
        paymentProfileId: created.getCustomerPaymentProfileIdList().getNumericString()[0],
      },
      amount: "30.00",
      invoice: "SDK-VERIFIED",
    });
    expect(later.getTransactionResponse().getResponseCode()).toBe("1");
    expect(later.getTransactionResponse().getAccountNumber()).toBe("XXXX0015");
  });

  it("gives a token for the hosted form, which adds a keyed card to the profile", async () => {
    const profile = new C.CustomerProfileType();
    profile.setDescription("hosted entry");
    const create = authenticated(new C.CreateCustomerProfileRequest());
    create.setProfile(profile);
    const created = new C.CreateCustomerProfileResponse(await run(K.CreateCustomerProfileController, create));
    const customerProfileId = created.getCustomerProfileId();
    const page = authenticated(new C.GetHostedProfilePageRequest());
    page.setCustomerProfileId(customerProfileId);
    const token = new C.GetHostedProfilePageResponse(
      await run(K.GetHostedProfilePageController, page),
    ).getToken();
    expect(String(token).length).toBeGreaterThan(20);
    const form = await fetch(simulator.hostedFormUrl, {
      method: "POST",
      body: new URLSearchParams({ token: String(token) }),
    });
    expect(await form.text()).toContain('name="cardNumber"');
    await fetch(`${simulator.hostedFormUrl}/submit`, {
      method: "POST",
      body: new URLSearchParams({
        token,
        cardNumber: "5424000000000015",
        expirationDate: "12/30",
        cardCode: "123",
      }),
    });
    const get = authenticated(new C.GetCustomerProfileRequest());
    get.setCustomerProfileId(customerProfileId);
    const found = new C.GetCustomerProfileResponse(await run(K.GetCustomerProfileController, get));
    const payment = found.getProfile().getPaymentProfiles()[0];
    expect(payment.getPayment().getCreditCard().getCardNumber()).toBe("XXXX0015");
  });

  it("deletes a keyed card (its payment profile), then its customer profile, and says E00040 for one gone", async () => {
    const customerProfileId = await profileWithKeyedCard();
    const found = new C.GetCustomerProfileResponse(
      await run(K.GetCustomerProfileController, getProfile(customerProfileId)),
    );
    const paymentProfileId = found.getProfile().getPaymentProfiles()[0].getCustomerPaymentProfileId();

    const deleteCard = () => {
      const request = authenticated(new C.DeleteCustomerPaymentProfileRequest());
      request.setCustomerProfileId(customerProfileId);
      request.setCustomerPaymentProfileId(paymentProfileId);
      return run(K.DeleteCustomerPaymentProfileController, request).then(
        (answer) => new C.DeleteCustomerPaymentProfileResponse(answer),
      );
    };
    const deleted = await deleteCard();
    expect(deleted.getMessages().getResultCode()).toBe(C.MessageTypeEnum.OK);
    const emptied = new C.GetCustomerProfileResponse(
      await run(K.GetCustomerProfileController, getProfile(customerProfileId)),
    );
    expect(emptied.getMessages().getResultCode()).toBe(C.MessageTypeEnum.OK);
    expect(emptied.getProfile().getPaymentProfiles() ?? []).toHaveLength(0);
    const again = await deleteCard();
    expect(again.getMessages().getResultCode()).toBe(C.MessageTypeEnum.ERROR);
    expect(again.getMessages().getMessage()[0].getCode()).toBe("E00040");

    const deleteProfile = async () => {
      const request = authenticated(new C.DeleteCustomerProfileRequest());
      request.setCustomerProfileId(customerProfileId);
      return new C.DeleteCustomerProfileResponse(await run(K.DeleteCustomerProfileController, request));
    };
    expect((await deleteProfile()).getMessages().getResultCode()).toBe(C.MessageTypeEnum.OK);
    const gone = new C.GetCustomerProfileResponse(
      await run(K.GetCustomerProfileController, getProfile(customerProfileId)),
    );
    expect(gone.getMessages().getMessage()[0].getCode()).toBe("E00040");
    expect((await deleteProfile()).getMessages().getMessage()[0].getCode()).toBe("E00040");
  });

  it("deletes a customer profile with its keyed card in one request, as the kiosk does without consent", async () => {
    const customerProfileId = await profileWithKeyedCard();
    const request = authenticated(new C.DeleteCustomerProfileRequest());
    request.setCustomerProfileId(customerProfileId);
    const deleted = new C.DeleteCustomerProfileResponse(
      await run(K.DeleteCustomerProfileController, request),
    );
    expect(deleted.getMessages().getResultCode()).toBe(C.MessageTypeEnum.OK);
    expect(simulator.books.profiles.has(String(customerProfileId))).toBe(false);
  });
});

function getProfile(customerProfileId: string): Sdk {
  const request = authenticated(new C.GetCustomerProfileRequest());
  request.setCustomerProfileId(customerProfileId);
  return request;
}

/** A customer profile holding a card keyed on the hosted form, as a keyed entry leaves it. */
async function profileWithKeyedCard(): Promise<string> {
  const profile = new C.CustomerProfileType();
  profile.setDescription("keyed entry to delete");
  const create = authenticated(new C.CreateCustomerProfileRequest());
  create.setProfile(profile);
  const created = new C.CreateCustomerProfileResponse(await run(K.CreateCustomerProfileController, create));
  const customerProfileId = created.getCustomerProfileId();
  const page = authenticated(new C.GetHostedProfilePageRequest());
  page.setCustomerProfileId(customerProfileId);
  const token = String(
    new C.GetHostedProfilePageResponse(await run(K.GetHostedProfilePageController, page)).getToken(),
  );
  const saved = await fetch(`${simulator.hostedFormUrl}/submit`, {
    method: "POST",
    body: new URLSearchParams({
      token,
      cardNumber: "4111111111111111",
      expirationDate: "12/30",
      cardCode: "123",
    }),
  });
  expect(await saved.text()).toContain("Card saved");
  return customerProfileId;
}
