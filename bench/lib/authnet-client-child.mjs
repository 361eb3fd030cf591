// One client of the Authorize.Net simulator, in its own process with the kiosk's Node flags, so its
// resident memory can be read: "kiosk" is the kiosk's processor (dist/, node:https), "sdk" is the
// official authorizenet SDK (axios, winston) building and sending the same sales, "bare" loads
// nothing. Prints "loaded" once ready, then "done" after N sales; the parent reads /proc meanwhile.
import { createRequire } from "node:module";

// As the kiosk does at start: without WebAssembly (the unit's flags), Node's fetch globals would crash
// whatever touches them (axios looks for fetch when it loads).
const { removeGlobalsNeedingWebAssembly } = await import("../../dist/app/web-globals.js");
if (typeof WebAssembly === "undefined") removeGlobalsNeedingWebAssembly();
const [variant, endpoint, hostedFormUrl, apiLoginId, transactionKey, countText] = process.argv.slice(2);
const count = Number(countText);
const require = createRequire(import.meta.url);
const wait = () => new Promise((resolve) => process.stdin.once("data", resolve));
const track2 = (index) => `4111111111111111=3012101${String(index).padStart(13, "0")}`;

let sale = async () => {};
if (variant === "kiosk") {
  const { connectAuthorizeNet } = await import(
    "../../dist/processors/authorize-net/connect-authorize-net.js"
  );
  const { SwipedTracks } = await import("../../dist/payments/card/swiped-tracks.js");
  const { CardNumber } = await import("../../dist/payments/card/card-number.js");
  const logger = {
    warn() {},
    info() {},
    debug() {},
    error() {},
    child() {
      return logger;
    },
  };
  const processor = await connectAuthorizeNet({
    endpoint,
    hostedFormUrl,
    apiLoginId,
    transactionKey,
    timeoutMs: 10_000,
    deviceType: 3,
    duplicateWindowSeconds: 28_800,
    currency: "USD",
    logger,
  });
  sale = (index) =>
    processor.sale({
      idempotencyKey: `sale:bench-kiosk-${process.pid}-${index}`,
      amount: { minor: 500 + (index % 100), currency: "USD" },
      source: {
        kind: "swiped",
        card: CardNumber.parse("4111111111111111"),
        expiry: { month: 12, year: 2030 },
        tracks: new SwipedTracks(null, track2(index)),
      },
      reference: { recordId: `bench-${index}`, deviceId: "kiosk-bench" },
    });
} else if (variant === "sdk") {
  const { APIContracts: C, APIControllers: K } = require("authorizenet");
  sale = (index) =>
    new Promise((resolve, reject) => {
      const auth = new C.MerchantAuthenticationType();
      auth.setName(apiLoginId);
      auth.setTransactionKey(transactionKey);
      const track = new C.CreditCardTrackType();
      track.setTrack2(track2(index));
      const payment = new C.PaymentType();
      payment.setTrackData(track);
      const order = new C.OrderType();
      order.setInvoiceNumber(`SDK${process.pid}${index}`.slice(0, 20));
      const retail = new C.TransRetailInfoType();
      retail.setMarketType("2");
      retail.setDeviceType("3");
      const request = new C.TransactionRequestType();
      request.setTransactionType(C.TransactionTypeEnum.AUTHCAPTURETRANSACTION);
      request.setAmount(((500 + (index % 100)) / 100).toFixed(2));
      request.setPayment(payment);
      request.setOrder(order);
      request.setRetail(retail);
      const create = new C.CreateTransactionRequest();
      create.setMerchantAuthentication(auth);
      create.setTransactionRequest(request);
      const controller = new K.CreateTransactionController(create.getJSON());
      controller.setEnvironment(endpoint);
      const timer = setTimeout(() => reject(controller.getError() ?? new Error("no answer")), 10_000);
      controller.execute(() => {
        clearTimeout(timer);
        const response = new C.CreateTransactionResponse(controller.getResponse());
        if (response.getTransactionResponse().getResponseCode() !== "1") reject(new Error("not approved"));
        else resolve();
      });
    });
}
await sale(-1); // the first call loads what the client loads lazily (TLS, agents)
process.stdout.write("loaded\n");
await wait();
for (let index = 0; index < count; index += 1) await sale(index);
process.stdout.write("done\n");
await wait();
process.exit(0);
