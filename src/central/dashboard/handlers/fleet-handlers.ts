import { ErrorCodes } from "../../../core/error-codes.js";
import { isKioskError } from "../../../core/kiosk-error.js";
import { isDeviceId } from "../../../sync/protocol/topics.js";
import { withTimeLimit } from "../../time-limit.js";
import { recentAudit } from "../control/audit-log.js";
import { commandStatus } from "../fleet/command-status.js";
import { listKiosks } from "../fleet/fleet-queries.js";
import { type CommandView, findCommand } from "../fleet/kiosk-queries.js";
import { NO_FILTER, type PaymentFilter, parsePaymentFilter } from "../fleet/payment-filter.js";
import { allPayments, findPayments, kioskIds, paymentTotals } from "../fleet/payment-queries.js";
import { CSV_HEADER, csvLine } from "../fleet/payments-csv.js";
import { arrangeKiosks, DEFAULT_VIEW, type FleetView, parseFleetView } from "../groups/fleet-view.js";
import { placedNeverConnected } from "../groups/placement-queries.js";
import type { Reply } from "../http-kit.js";
import { auditPage } from "../pages/audit.js";
import { awaitingAnswer, commandPage } from "../pages/command.js";
import { errorPage } from "../pages/error.js";
import { overviewPage } from "../pages/overview.js";
import { paymentsPage } from "../pages/payments.js";
import type { Notice } from "../view/layout.js";
import { STYLES } from "../view/styles.js";
import { type DashboardApp, type DashboardRoute, viewerOf } from "./context.js";
import { deadLetterRoutes, deadLettersReply } from "./dead-letter-handlers.js";
import { renderKiosk } from "./kiosk-view.js";

const PAGE_ROWS = 200;

/** What an operator should know about a command that has not reached its kiosk (yet). */
function waitingNotice(command: CommandView, now: Date): Notice | null {
  const status = commandStatus(command, now);
  switch (status.kind) {
    case "queued":
      return status.brokerRefused
        ? {
            kind: "error",
            text: `[${ErrorCodes.DASHBOARD_BROKER_UNREACHABLE}] Central could not reach the broker: the command waits and is sent when central reaches it again, until it expires.`,
          }
        : {
            kind: "warn",
            text: `[${ErrorCodes.DASHBOARD_KIOSK_OFFLINE}] The kiosk is offline: the command waits and is delivered when the kiosk is back, until it expires.`,
          };
    case "expired":
      return {
        kind: "warn",
        text: `[${ErrorCodes.DASHBOARD_COMMAND_EXPIRED}] The command expired before the kiosk came back: it was not sent. Send it again if it is still wanted.`,
      };
    default:
      return null;
  }
}

const optionalDevice = (value: string | null): string | null => (value && isDeviceId(value) ? value : null);

export function fleetRoutes(app: DashboardApp): DashboardRoute[] {
  return [
    {
      method: "GET",
      path: "/dashboard.css",
      access: "public",
      handler: async () => ({
        kind: "text",
        status: 200,
        contentType: "text/css; charset=utf-8",
        body: STYLES,
      }),
    },
    {
      method: "GET",
      path: "/healthz",
      access: "public",
      // Ready means the database answers: a monitor sees "not ready" (503), not an error page.
      handler: async () => {
        // The page is public: it says whether, never why (ingest's log says why).
        const answers = await withTimeLimit(app.db.query("SELECT 1"), 2000).then(
          () => true,
          () => false,
        );
        return answers
          ? { kind: "text", status: 200, contentType: "text/plain; charset=utf-8", body: "ok\n" }
          : {
              kind: "text",
              status: 503,
              contentType: "text/plain; charset=utf-8",
              body: "not ready: central's database does not answer\n",
            };
      },
    },
    {
      method: "GET",
      path: "/",
      access: "user",
      handler: async (context) => {
        let view: FleetView = DEFAULT_VIEW;
        let notice: Notice | null = null;
        try {
          view = parseFleetView(context.url.searchParams);
        } catch (error) {
          if (!isKioskError(error)) throw error;
          notice = { kind: "error", text: error.message };
        }
        const [kiosks, awaited] = await Promise.all([listKiosks(app.db), placedNeverConnected(app.db)]);
        return {
          kind: "html",
          status: notice ? 400 : 200,
          ...(notice ? {} : { refreshSeconds: 10 }),
          body: overviewPage({
            viewer: viewerOf(context),
            kiosks,
            awaited,
            view,
            groups: arrangeKiosks(kiosks, view),
            now: app.clock.now(),
            notice,
          }),
        };
      },
    },
    {
      method: "GET",
      path: "/kiosks/:deviceId",
      access: "user",
      handler: (context) => renderKiosk(app, context, context.params.deviceId ?? ""),
    },
    {
      method: "GET",
      path: "/commands/:commandId",
      access: "user",
      handler: async (context) => {
        const command = await findCommand(app.db, context.params.commandId ?? "");
        if (!command) {
          return {
            kind: "html",
            status: 404,
            body: errorPage({
              viewer: context.viewer,
              title: "No such command",
              message: "Central has not sent a command with this id.",
            }),
          };
        }
        const now = app.clock.now();
        const notice = waitingNotice(command, now);
        return {
          kind: "html",
          status: 200,
          ...(awaitingAnswer(command, now) ? { refreshSeconds: 2 } : {}),
          body: commandPage({ viewer: viewerOf(context), command, now, notice }),
        };
      },
    },
    {
      method: "GET",
      path: "/payments",
      access: "user",
      handler: async (context) => {
        let filter: PaymentFilter;
        let notice: Notice | null = null;
        try {
          filter = parsePaymentFilter(context.url.searchParams);
        } catch (error) {
          if (!isKioskError(error)) throw error;
          filter = NO_FILTER;
          notice = { kind: "error", text: error.message };
        }
        const [rows, totals, kiosks] = await Promise.all([
          notice ? [] : findPayments(app.db, filter, PAGE_ROWS),
          notice ? [] : paymentTotals(app.db, filter),
          kioskIds(app.db),
        ]);
        return {
          kind: "html",
          status: notice ? 400 : 200,
          body: paymentsPage({
            viewer: viewerOf(context),
            filter,
            kiosks,
            rows,
            totals,
            limit: PAGE_ROWS,
            notice,
          }),
        };
      },
    },
    {
      method: "GET",
      path: "/payments.csv",
      access: "user",
      handler: async (context): Promise<Reply> => {
        const filter = parsePaymentFilter(context.url.searchParams);
        const stamp = app.clock.now().toISOString().slice(0, 10);
        return {
          kind: "download",
          contentType: "text/csv; charset=utf-8",
          filename: `spectra-payments-${stamp}.csv`,
          write: async (chunk) => {
            await chunk(CSV_HEADER);
            for await (const page of allPayments(app.db, filter)) await chunk(page.map(csvLine).join(""));
          },
        };
      },
    },
    {
      method: "GET",
      path: "/dead-letters",
      access: "user",
      handler: (context) => deadLettersReply(app, context),
    },
    ...deadLetterRoutes(app),
    {
      method: "GET",
      path: "/audit",
      access: "user",
      handler: async (context) => {
        const deviceId = optionalDevice(context.url.searchParams.get("kiosk"));
        const entries = await recentAudit(app.db, { deviceId, limit: PAGE_ROWS });
        return {
          kind: "html",
          status: 200,
          body: auditPage({ viewer: viewerOf(context), entries, deviceId, limit: PAGE_ROWS }),
        };
      },
    },
  ];
}
