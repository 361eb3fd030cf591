import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { deliverWebhook, type WebhookTarget } from "./webhook-poster.js";

let server: Server | null = null;

/** A receiver answering each POST with the next status; "hang" never answers. */
async function receiver(answers: readonly (number | "hang")[]): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  let index = 0;
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString());
      const answer = answers[Math.min(index++, answers.length - 1)];
      if (answer !== "hang") response.writeHead(answer ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

const target = (url: string, extra: Partial<WebhookTarget> = {}): WebhookTarget => ({
  url,
  timeoutMs: 2000,
  attempts: 3,
  secret: null,
  pauseMs: () => 10,
  ...extra,
});

describe("the alert web hook", () => {
  it("is sent once when the receiver takes it", async () => {
    const { url, bodies } = await receiver([204]);
    expect(await deliverWebhook(target(url), '{"event":"raised"}')).toEqual({
      outcome: "sent",
      attempts: 1,
      error: null,
    });
    expect(bodies).toEqual(['{"event":"raised"}']);
  });

  it("is tried again after a refusal, and reported failed with the last status after the last attempt", async () => {
    const { url, bodies } = await receiver([503, 200]);
    expect(await deliverWebhook(target(url), "{}")).toMatchObject({ outcome: "sent", attempts: 2 });
    expect(bodies).toHaveLength(2);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const failing = await receiver([500]);
    const result = await deliverWebhook(target(failing.url), "{}");
    expect(result).toMatchObject({ outcome: "failed", attempts: 3 });
    expect(result.error).toContain("[ALERT_WEBHOOK_FAILED]");
    expect(result.error).toContain("HTTP 500");
  });

  it("gives up on a receiver that never answers within the timeout", async () => {
    const { url } = await receiver(["hang"]);
    const started = Date.now();
    const result = await deliverWebhook(target(url, { timeoutMs: 300, attempts: 2 }), "{}");
    expect(result).toMatchObject({ outcome: "failed", attempts: 2 });
    expect(result.error).toContain("no answer in 300 ms");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("reports a receiver that is not there, and stops retrying when central stops", async () => {
    const { url } = await receiver([200]);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = null;
    const result = await deliverWebhook(target(url, { attempts: 5 }), "{}", () => true);
    expect(result).toMatchObject({ outcome: "failed", attempts: 1 });
    expect(result.error).toContain("ECONNREFUSED");
  });
});
