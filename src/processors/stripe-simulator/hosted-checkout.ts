import type Stripe from "stripe";
import { formatMoney } from "../../payments/money.js";
import { payOnHostedPage, retrieveSession } from "./checkout-sessions.js";
import { parseParams } from "./form-body.js";
import type { SimContext } from "./sim-context.js";
import { SimulatedFailure } from "./simulated-failure.js";

export interface PageAnswer {
  readonly status: number;
  readonly html: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;color:#1a1f36}h1{font-size:1.3rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;font-size:1.1rem;padding:.5rem;box-sizing:border-box}button{margin-top:1.2rem;width:100%;font-size:1.1rem;padding:.7rem;background:#635bff;color:#fff;border:0;border-radius:6px}.amount{font-size:1.8rem;font-weight:600}.error{color:#df1b41}</style></head><body>${body}</body></html>`;
}

function amountText(session: Stripe.Checkout.Session): string {
  if (session.mode === "setup" || session.amount_total === null) return "Save a card";
  return formatMoney(
    { minor: session.amount_total, currency: (session.currency ?? "usd").toUpperCase() },
    "en-US",
  );
}

function form(session: Stripe.Checkout.Session, problem: string | null): string {
  return page(
    "Pay — simulated Stripe Checkout",
    `<h1>Spectra studio (simulated Stripe Checkout)</h1><p class="amount" data-testid="amount">${escapeHtml(amountText(session))}</p>${
      problem ? `<p class="error" role="alert">${escapeHtml(problem)}</p>` : ""
    }<form method="post"><label for="number">Card number</label><input id="number" name="number" inputmode="numeric" autocomplete="off" required><label for="exp">Expiry (MM/YY)</label><input id="exp" name="exp" value="12/34" required><label for="cvc">CVC</label><input id="cvc" name="cvc" value="123" required><button type="submit">${session.mode === "setup" ? "Save card" : "Pay"}</button></form>`,
  );
}

/**
 * The hosted Checkout page a QR code or payment link opens: the client types a test card and pays.
 * Only the simulator (standing for Stripe) ever sees the number; the kiosk hears of the payment from
 * Stripe's event.
 */
export function hostedCheckout(
  context: SimContext,
  method: string,
  sessionId: string,
  body: string,
): PageAnswer {
  let session: Stripe.Checkout.Session;
  try {
    session = retrieveSession(context, sessionId);
  } catch (error) {
    if (error instanceof SimulatedFailure)
      return { status: 404, html: page("Not found", "<h1>This payment page does not exist.</h1>") };
    throw error;
  }
  if (session.status !== "open") {
    const done = session.status === "complete";
    return {
      status: done ? 200 : 410,
      html: page(
        done ? "Paid" : "Expired",
        `<h1 data-testid="outcome">${done ? "Payment complete. Thank you!" : "This payment page has expired."}</h1>`,
      ),
    };
  }
  if (method !== "POST") return { status: 200, html: form(session, null) };
  const fields = parseParams(body);
  const number = typeof fields.number === "string" ? fields.number.replace(/[\s-]/g, "") : "";
  const exp = typeof fields.exp === "string" ? /^(\d{1,2})\s*\/\s*(\d{2})$/.exec(fields.exp.trim()) : null;
  if (!/^\d{13,19}$/.test(number) || !exp)
    return { status: 200, html: form(session, "Your card number or expiry is incomplete.") };
  const result = payOnHostedPage(context, sessionId, {
    number,
    expMonth: Number(exp[1]),
    expYear: 2000 + Number(exp[2]),
  });
  if (!result.ok) return { status: 200, html: form(session, result.message) };
  return { status: 200, html: page("Paid", `<h1 data-testid="outcome">Payment complete. Thank you!</h1>`) };
}
