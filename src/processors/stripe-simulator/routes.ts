import type Stripe from "stripe";
import type { Permission, Resource } from "./api-keys.js";
import { createSession, expireSession, retrieveSession } from "./checkout-sessions.js";
import { createCustomer, retrieveCustomer, searchCustomers } from "./customers.js";
import type { Params } from "./form-body.js";
import { listPage, searchPage } from "./lists.js";
import { requiredString } from "./params.js";
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  retrievePaymentIntent,
  searchPaymentIntents,
} from "./payment-intents.js";
import {
  attachPaymentMethod,
  customerPaymentMethods,
  detachPaymentMethod,
  retrievePaymentMethod,
} from "./payment-methods.js";
import { createRefund, retrieveRefund } from "./refunds.js";
import type { SimContext } from "./sim-context.js";
import { SimulatedFailure } from "./simulated-failure.js";
import {
  abandonReaderActionsFor,
  cancelReaderAction,
  createLocation,
  presentPaymentMethod,
  processPaymentIntent,
  registerReader,
  retrieveReader,
} from "./terminal.js";

export interface Route {
  readonly method: "GET" | "POST";
  readonly pattern: RegExp;
  readonly needs: Permission;
  /** The path's ids (the pattern's groups) and the request's parameters in; Stripe's object out. */
  run(context: SimContext, params: Params, ids: string[], path: string): unknown;
}

const ID = "([A-Za-z0-9_]{1,255})";
const read = (resource: Resource): Permission => ({ resource, access: "read" });
const write = (resource: Resource): Permission => ({ resource, access: "write" });
const route = (method: Route["method"], path: string, needs: Permission, run: Route["run"]): Route => ({
  method,
  pattern: new RegExp(`^${path.replaceAll(":id", ID)}$`),
  needs,
  run,
});
const first = (ids: string[]): string => ids[0] as string;

function filtered<T extends { id: string; created: number }>(
  items: Iterable<T>,
  keep: (item: T) => boolean,
): T[] {
  return [...items].filter(keep);
}

/** The REST paths the kiosk and central use, each with the permission a restricted key needs. */
export const ROUTES: readonly Route[] = [
  route("POST", "/v1/payment_intents", write("payment_intent"), (c, p) => createPaymentIntent(c, p)),
  route("GET", "/v1/payment_intents/search", read("payment_intent"), (c, p, _ids, path) =>
    searchPage(searchPaymentIntents(c, requiredString(p, "query", 1000)), p, path),
  ),
  route("GET", "/v1/payment_intents", read("payment_intent"), (c, p, _ids, path) => {
    const customer = typeof p.customer === "string" ? p.customer : null;
    return listPage(
      filtered(
        c.books.paymentIntents.values(),
        (intent) => customer === null || intent.customer === customer,
      ),
      p,
      path,
    );
  }),
  route("GET", "/v1/payment_intents/:id", read("payment_intent"), (c, _p, ids) =>
    retrievePaymentIntent(c, first(ids)),
  ),
  route("POST", "/v1/payment_intents/:id/confirm", write("payment_intent"), (c, p, ids) =>
    confirmPaymentIntent(c, first(ids), p),
  ),
  route("POST", "/v1/payment_intents/:id/capture", write("payment_intent"), (c, p, ids) =>
    capturePaymentIntent(c, first(ids), p),
  ),
  route("POST", "/v1/payment_intents/:id/cancel", write("payment_intent"), (c, p, ids) => {
    const cancelled = cancelPaymentIntent(c, first(ids), p);
    abandonReaderActionsFor(c, cancelled.id);
    return cancelled;
  }),
  route("GET", "/v1/charges/:id", read("charge"), (c, _p, ids) => {
    const charge = c.books.charges.get(first(ids));
    if (!charge) throw SimulatedFailure.missing("charge", first(ids));
    return charge;
  }),
  route("POST", "/v1/refunds", write("refund"), (c, p) => createRefund(c, p)),
  route("GET", "/v1/refunds", read("refund"), (c, p, _ids, path) => {
    const intent = typeof p.payment_intent === "string" ? p.payment_intent : null;
    return listPage(
      filtered(c.books.refunds.values(), (refund) => intent === null || refund.payment_intent === intent),
      p,
      path,
    );
  }),
  route("GET", "/v1/refunds/:id", read("refund"), (c, _p, ids) => retrieveRefund(c, first(ids))),
  route("POST", "/v1/customers", write("customer"), (c, p) => createCustomer(c, p)),
  route("GET", "/v1/customers/search", read("customer"), (c, p, _ids, path) =>
    searchPage(searchCustomers(c, requiredString(p, "query", 1000)), p, path),
  ),
  route("GET", "/v1/customers/:id", read("customer"), (c, _p, ids) => retrieveCustomer(c, first(ids))),
  route("GET", "/v1/customers/:id/payment_methods", read("payment_method"), (c, p, ids, path) =>
    listPage(customerPaymentMethods(c, first(ids)), p, path),
  ),
  route("GET", "/v1/payment_methods/:id", read("payment_method"), (c, _p, ids) =>
    retrievePaymentMethod(c, first(ids)),
  ),
  route("POST", "/v1/payment_methods/:id/attach", write("payment_method"), (c, p, ids) =>
    attachPaymentMethod(c, first(ids), p),
  ),
  route("POST", "/v1/payment_methods/:id/detach", write("payment_method"), (c, _p, ids) =>
    detachPaymentMethod(c, first(ids)),
  ),
  route("GET", "/v1/setup_intents/:id", read("setup_intent"), (c, _p, ids) => {
    const setup = c.books.setupIntents.get(first(ids));
    if (!setup) throw SimulatedFailure.missing("setup_intent", first(ids));
    return setup;
  }),
  route("POST", "/v1/terminal/locations", write("terminal_location"), (c, p) => createLocation(c, p)),
  route("GET", "/v1/terminal/locations/:id", read("terminal_location"), (c, _p, ids) => {
    const location = c.books.locations.get(first(ids));
    if (!location) throw SimulatedFailure.missing("terminal.location", first(ids));
    return location;
  }),
  route("POST", "/v1/terminal/readers", write("terminal_reader"), (c, p) => registerReader(c, p)),
  route("GET", "/v1/terminal/readers", read("terminal_reader"), (c, p, _ids, path) => {
    const location = typeof p.location === "string" ? p.location : null;
    const readers = filtered(
      [...c.books.readers.values()].map((reader) => ({ ...reader, created: 0 })),
      (reader) => location === null || reader.location === location,
    );
    const page = listPage(readers, p, path);
    return {
      ...page,
      data: page.data.map(({ created: _created, ...reader }) => reader as Stripe.Terminal.Reader),
    };
  }),
  route("GET", "/v1/terminal/readers/:id", read("terminal_reader"), (c, _p, ids) =>
    retrieveReader(c, first(ids)),
  ),
  route("POST", "/v1/terminal/readers/:id/process_payment_intent", write("terminal_reader"), (c, p, ids) =>
    processPaymentIntent(c, first(ids), p),
  ),
  route("POST", "/v1/terminal/readers/:id/cancel_action", write("terminal_reader"), (c, _p, ids) =>
    cancelReaderAction(c, first(ids)),
  ),
  route(
    "POST",
    "/v1/test_helpers/terminal/readers/:id/present_payment_method",
    write("terminal_reader"),
    (c, p, ids) => presentPaymentMethod(c, first(ids), p),
  ),
  route("POST", "/v1/checkout/sessions", write("checkout_session"), (c, p) => createSession(c, p)),
  route("GET", "/v1/checkout/sessions", read("checkout_session"), (c, p, _ids, path) =>
    listPage(
      [...c.books.sessions.keys()].map((id) => retrieveSession(c, id)),
      p,
      path,
    ),
  ),
  route("GET", "/v1/checkout/sessions/:id", read("checkout_session"), (c, _p, ids) =>
    retrieveSession(c, first(ids)),
  ),
  route("POST", "/v1/checkout/sessions/:id/expire", write("checkout_session"), (c, _p, ids) =>
    expireSession(c, first(ids)),
  ),
  route("GET", "/v1/events", read("event"), (c, p, _ids, path) => {
    const type = typeof p.type === "string" ? p.type : null;
    return listPage(
      c.books.events.filter((event) => type === null || event.type === type),
      p,
      path,
    );
  }),
  route("GET", "/v1/events/:id", read("event"), (c, _p, ids) => {
    const event = c.books.events.find((candidate) => candidate.id === first(ids));
    if (!event) throw SimulatedFailure.missing("event", first(ids));
    return event;
  }),
];
