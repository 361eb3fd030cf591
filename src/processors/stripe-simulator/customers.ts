import type Stripe from "stripe";
import type { Params } from "./form-body.js";
import { customerObject } from "./objects.js";
import { metadataParam, optionalString } from "./params.js";
import type { SimContext } from "./sim-context.js";
import { SimulatedFailure } from "./simulated-failure.js";

export function createCustomer(context: SimContext, params: Params): Stripe.Customer {
  const customer = customerObject(
    context.now(),
    metadataParam(params),
    optionalString(params, "name", 256),
    optionalString(params, "email", 512),
  );
  context.books.customers.set(customer.id, customer);
  context.emit("customer.created", customer);
  return customer;
}

export function retrieveCustomer(context: SimContext, id: string): Stripe.Customer {
  const customer = context.books.customers.get(id);
  if (!customer) throw SimulatedFailure.missing("customer", id);
  return customer;
}

/** Customer search for the clause central uses: `metadata['key']:'value'`. */
export function searchCustomers(context: SimContext, query: string): Stripe.Customer[] {
  const match = /^metadata\['([^']{1,40})'\]:'([^']{0,500})'$/.exec(query.trim());
  if (!match)
    throw SimulatedFailure.invalidRequest(
      `The query is not valid or uses a field the simulator does not search: ${query}`,
      "parameter_invalid",
      "query",
    );
  const [, key, value] = match;
  return [...context.books.customers.values()].filter(
    (customer) => customer.metadata[key as string] === value,
  );
}
