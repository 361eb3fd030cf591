import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { type CliProcess, runCli, spawnCli } from "../helpers/cli-process.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { freePort } from "../helpers/ports.js";
import { until } from "../helpers/wait.js";

describe("spectra-kiosk stripe-sim", () => {
  const dir = scratchDir("spectra-stripe-sim-");
  let sim: CliProcess | undefined;
  afterAll(async () => {
    await sim?.kill("SIGTERM");
    dir.remove();
  });

  it("serves a Stripe account on loopback with its keys in owner-only files, a reader the kiosk's key can use", async () => {
    const port = await freePort();
    sim = spawnCli(["stripe-sim", "--port", String(port), "--key-dir", dir.path]);
    await until(() => (sim?.output() ?? "").includes("readers tmr_"), "the simulator's banner", 15_000);
    const reader = /readers (tmr_\w+)/.exec(sim.output())?.[1] as string;
    for (const name of ["kiosk.key", "central.key"]) {
      expect((statSync(join(dir.path, name)).mode & 0o777).toString(8), name).toBe("600");
    }
    const kiosk = new Stripe(readFileSync(join(dir.path, "kiosk.key"), "utf8").trim(), {
      host: "127.0.0.1",
      port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    const intent = await kiosk.paymentIntents.create({
      amount: 1_000,
      currency: "usd",
      allowed_payment_method_types: ["card_present"],
    });
    const handed = (await kiosk.terminal.readers.processPaymentIntent(reader, {
      payment_intent: intent.id,
    })) as Stripe.Terminal.Reader;
    expect(handed.action?.status).toBe("in_progress");
    await expect(kiosk.refunds.create({ payment_intent: intent.id })).rejects.toThrow(/rak_refund_write/);
    expect(sim.output()).not.toContain("rk_test_");
  }, 30_000);

  it("takes the card a reader presents by itself as its masked form only, refusing anything else before it starts", async () => {
    for (const card of ["4242424242424242", "4242"]) {
      const run = await runCli(["stripe-sim", "--port", "0", "--key-dir", dir.path, "--auto-present", card]);
      expect(run.code, card).not.toBe(0);
      expect(run.output, card).toContain("CARD_MASKED_PAN_INVALID");
      expect(run.output, card).not.toContain("listening");
    }
  }, 30_000);
});
