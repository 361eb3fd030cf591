import { CardNumber } from "../../src/payments/card/card-number.js";
import { SwipedTracks } from "../../src/payments/card/swiped-tracks.js";
import type { CardSource, HostedEntry } from "../../src/payments/card-processor.js";
import { invoiceReference } from "../../src/processors/authorize-net/invoice-reference.js";
import type { RunningAuthorizeNetSimulator } from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";

/** A plain swipe of this number: its track 2 as a reader sends it, expiring December 2030. */
export const swipedCard = (pan: string, expiry = "3012"): CardSource => ({
  kind: "swiped",
  card: CardNumber.parse(pan),
  expiry: { month: Number(expiry.slice(2)), year: 2000 + Number(expiry.slice(0, 2)) },
  tracks: new SwipedTracks(null, `${pan}=${expiry}1011000000000000`),
});

const CHARGED = new Set([
  "capturedPendingSettlement",
  "settledSuccessfully",
  "authorizedPendingCapture",
  "voided",
]);

export function chargesWithReference(simulator: RunningAuthorizeNetSimulator, key: string): number {
  const reference = invoiceReference(key);
  return [...simulator.books.transactions.values()].filter(
    (transaction) =>
      transaction.invoiceNumber === reference &&
      transaction.type !== "refundTransaction" &&
      CHARGED.has(transaction.status),
  ).length;
}

/** Opens the hosted form with its token, as the staff screen's frame does, and keys a card there. */
export async function keyOnHostedForm(
  simulator: RunningAuthorizeNetSimulator,
  entry: HostedEntry,
  pan = "5424000000000015",
  typed: { readonly expirationDate: string; readonly cardCode: string } = {
    expirationDate: "11/31",
    cardCode: "123",
  },
): Promise<void> {
  const token = entry.formFields?.token ?? "";
  const page = await fetchInsecure(entry.url, new URLSearchParams({ token }), simulator);
  if (!page.includes('name="cardNumber"')) throw new Error("the hosted form did not open");
  const done = await fetchInsecure(
    `${entry.url}/submit`,
    new URLSearchParams({ token, cardNumber: pan, ...typed }),
    simulator,
  );
  if (!done.includes("Card saved")) throw new Error(`the hosted form did not save the card: ${done}`);
}

/** A form POST to the simulator over its TLS, trusting its loopback certificate. */
async function fetchInsecure(
  url: string,
  form: URLSearchParams,
  simulator: RunningAuthorizeNetSimulator,
): Promise<string> {
  const { request } = await import("node:https");
  return new Promise((resolve, reject) => {
    const body = form.toString();
    const outgoing = request(url, {
      method: "POST",
      ca: simulator.ca ?? undefined,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(body)),
      },
    });
    outgoing.on("error", reject);
    outgoing.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    outgoing.end(body);
  });
}
