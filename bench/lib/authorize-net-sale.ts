import { Agent, request } from "node:https";
import { createMemoryLogger } from "../../src/core/logger.js";
import { CardNumber } from "../../src/payments/card/card-number.js";
import { SwipedTracks } from "../../src/payments/card/swiped-tracks.js";
import { testCardNumber } from "../../src/payments/card/test-card-number.js";
import type { CardProcessor, CardSource } from "../../src/payments/card-processor.js";
import { connectAuthorizeNet } from "../../src/processors/authorize-net/connect-authorize-net.js";
import { startAuthorizeNetSimulator } from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";

/** Authorize.Net's published Visa test card, made from its masked form (no full number in the source). */
const VISA = testCardNumber("411111******1111");
const TRACK2 = `${VISA}=30121010000000000000`;

/**
 * The card-sale bench's Authorize.Net side: the simulator over TLS on loopback, the kiosk's
 * processor for it, a plain swipe as the card, and the bare baseline — one createTransactionRequest
 * with the same card, amount and settings, posted over a keep-alive TLS connection and parsed.
 */
export async function authorizeNetSaleRig(): Promise<{
  processor: CardProcessor;
  card(): CardSource;
  bareRequest(index: number): Promise<void>;
  close(): Promise<void>;
}> {
  const simulator = await startAuthorizeNetSimulator();
  const processor = await connectAuthorizeNet({
    endpoint: simulator.endpoint,
    hostedFormUrl: simulator.hostedFormUrl,
    apiLoginId: simulator.apiLoginId,
    transactionKey: simulator.transactionKey,
    ca: simulator.ca,
    timeoutMs: 10_000,
    deviceType: 3,
    duplicateWindowSeconds: 28_800,
    currency: "USD",
    logger: createMemoryLogger(),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: simulator.ca ?? undefined });
  const bareRequest = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({
        createTransactionRequest: {
          merchantAuthentication: { name: simulator.apiLoginId, transactionKey: simulator.transactionKey },
          refId: `BARE${index}`,
          transactionRequest: {
            transactionType: "authCaptureTransaction",
            amount: "10.00",
            payment: { trackData: { track2: TRACK2 } },
            order: { invoiceNumber: `BARE${index}` },
            retail: { marketType: "2", deviceType: "3" },
            transactionSettings: { setting: [{ settingName: "duplicateWindow", settingValue: "28800" }] },
          },
        },
      });
      const outgoing = request(simulator.endpoint, {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
      });
      outgoing.on("error", reject);
      outgoing.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString("utf8").slice(1)) as {
            transactionResponse?: { responseCode?: string };
          };
          if (answer.transactionResponse?.responseCode !== "1")
            reject(new Error("bare request not approved"));
          else resolve();
        });
      });
      outgoing.end(body);
    });
  return {
    processor,
    card: () => ({
      kind: "swiped",
      card: CardNumber.parse(VISA),
      expiry: { month: 12, year: 2030 },
      tracks: new SwipedTracks(null, TRACK2),
    }),
    bareRequest,
    close: async () => {
      agent.destroy();
      await simulator.close();
    },
  };
}
