import { creditedInvoices } from "../../balances/account-queries.js";
import { creditsPage } from "../pages/credits.js";
import { type DashboardApp, type DashboardRoute, viewerOf } from "./context.js";

const CREDIT_ROWS = 200;

/** Central's balances on the dashboard: the invoices paid beyond their total. */
export function balanceRoutes(app: DashboardApp): DashboardRoute[] {
  return [
    {
      method: "GET",
      path: "/credits",
      access: "user",
      handler: async (context) => ({
        kind: "html",
        status: 200,
        body: creditsPage({
          viewer: viewerOf(context),
          invoices: await creditedInvoices(app.db, CREDIT_ROWS),
          limit: CREDIT_ROWS,
        }),
      }),
    },
  ];
}
