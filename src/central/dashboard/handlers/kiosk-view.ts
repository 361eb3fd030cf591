import { ErrorCodes } from "../../../core/error-codes.js";
import { alertHistory, openAlerts } from "../../alerts/alert-store.js";
import { findKiosk } from "../fleet/fleet-queries.js";
import {
  CHART_RANGES,
  chartRange,
  desiredConfigs,
  recentCommands,
  recentRecords,
  telemetrySeries,
} from "../fleet/kiosk-queries.js";
import type { Reply } from "../http-kit.js";
import { errorPage } from "../pages/error.js";
import { kioskPage } from "../pages/kiosk.js";
import type { Notice } from "../view/layout.js";
import { type DashboardApp, type RequestContext, viewerOf } from "./context.js";

export function unknownKiosk(context: RequestContext, deviceId: string): Reply {
  return {
    kind: "html",
    status: 404,
    body: errorPage({
      viewer: context.viewer,
      title: "No such kiosk",
      code: ErrorCodes.DASHBOARD_KIOSK_UNKNOWN,
      message: `Central has never heard from ${deviceId}.`,
    }),
  };
}

/** The kiosk page, optionally with a notice and the editor's text (after a refused push). */
export async function renderKiosk(
  app: DashboardApp,
  context: RequestContext,
  deviceId: string,
  options: { status?: number; notice?: Notice | null; editorText?: string } = {},
): Promise<Reply> {
  const kiosk = await findKiosk(app.db, deviceId);
  if (!kiosk) return unknownKiosk(context, deviceId);
  const now = app.clock.now();
  const range = chartRange(context.url.searchParams.get("range"));
  const { seconds, bucketSeconds } = CHART_RANGES[range];
  const [records, series, commands, desired, open, recent] = await Promise.all([
    recentRecords(app.db, deviceId),
    telemetrySeries(app.db, deviceId, new Date(now.getTime() - seconds * 1000), bucketSeconds),
    recentCommands(app.db, deviceId),
    desiredConfigs(app.db, deviceId),
    openAlerts(app.db, deviceId),
    alertHistory(app.db, { deviceId, rule: null, beforeId: null, limit: 10 }),
  ]);
  const key = app.key.status();
  let notice = options.notice ?? null;
  const pushed = Number(context.url.searchParams.get("pushed"));
  const pushedConfig = notice === null ? desired.find((config) => config.version === pushed) : undefined;
  if (pushedConfig) {
    notice =
      pushedConfig.delivery === "sent"
        ? {
            kind: "ok",
            text: `Configuration v${pushedConfig.version} pushed: the broker keeps it for the kiosk.`,
          }
        : {
            kind: "error",
            text: `Configuration v${pushedConfig.version} is saved but the broker did not take it yet; it is sent again when central reconnects.`,
          };
  }
  return {
    kind: "html",
    status: options.status ?? 200,
    body: kioskPage({
      viewer: viewerOf(context),
      kiosk,
      records,
      range,
      series,
      commands,
      desired,
      commandsUnavailable: key.ok ? null : key.reason,
      managedPaths: app.settingsCheck.paths,
      alerts: { open, recent },
      now,
      notice,
      ...(options.editorText !== undefined ? { editorText: options.editorText } : {}),
    }),
  };
}
