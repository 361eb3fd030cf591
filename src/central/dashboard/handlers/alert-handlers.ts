import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import { isDeviceId } from "../../../sync/protocol/topics.js";
import { alertHistory, openAlerts } from "../../alerts/alert-store.js";
import { type AlertRule, isAlertRule } from "../../alerts/rules.js";
import { listKiosks } from "../fleet/fleet-queries.js";
import { alertsPage } from "../pages/alerts.js";
import { type DashboardApp, type DashboardRoute, viewerOf } from "./context.js";

const PAGE_ROWS = 100;

/** The page's query: kiosk, rule and the page's start, each checked; anything else is refused. */
function alertQuery(params: URLSearchParams): {
  deviceId: string | null;
  rule: AlertRule | null;
  before: string | null;
} {
  const kiosk = params.get("kiosk") || null;
  const rule = params.get("rule") || null;
  const before = params.get("before") || null;
  const refuse = (what: string): never => {
    throw new KioskError(ErrorCodes.DASHBOARD_FILTER_INVALID, `The alerts filter's ${what} is not valid.`);
  };
  if (kiosk !== null && !isDeviceId(kiosk)) refuse("kiosk");
  if (rule !== null && !isAlertRule(rule)) refuse("alert");
  if (before !== null && !/^[1-9][0-9]{0,17}$/.test(before)) refuse("page");
  return { deviceId: kiosk, rule: rule as AlertRule | null, before };
}

export function alertRoutes(app: DashboardApp): DashboardRoute[] {
  return [
    {
      method: "GET",
      path: "/alerts",
      access: "user",
      handler: async (context) => {
        const query = alertQuery(context.url.searchParams);
        const [open, history, kiosks] = await Promise.all([
          openAlerts(app.db),
          alertHistory(app.db, {
            deviceId: query.deviceId,
            rule: query.rule,
            beforeId: query.before,
            limit: PAGE_ROWS,
          }),
          listKiosks(app.db),
        ]);
        const last = history[history.length - 1];
        return {
          kind: "html",
          status: 200,
          refreshSeconds: 30,
          body: alertsPage({
            viewer: viewerOf(context),
            open,
            history,
            kiosks: new Map(kiosks.map((kiosk) => [kiosk.deviceId, kiosk])),
            check: app.alertCheck,
            deviceId: query.deviceId,
            rule: query.rule,
            nextBefore: history.length === PAGE_ROWS && last ? last.id : null,
            limit: PAGE_ROWS,
            now: app.clock.now(),
          }),
        };
      },
    },
  ];
}
