import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import { isStudioDate, studioToday } from "../../../payments/studio-date.js";
import { dayCsv } from "../fleet/day-csv.js";
import { listStudios, type Studio, studioDay } from "../fleet/day-queries.js";
import { dayReport } from "../fleet/day-report.js";
import type { Reply } from "../http-kit.js";
import { endOfDayPage } from "../pages/end-of-day.js";
import { type DashboardApp, type DashboardRoute, viewerOf } from "./context.js";

interface DayChoice {
  readonly studio: Studio | null;
  readonly date: string;
  readonly problem: string | null;
}

/** The studio and day a query names: a studio the kiosks reported, a date written YYYY-MM-DD. */
function chooseDay(app: DashboardApp, studios: readonly Studio[], query: URLSearchParams): DayChoice {
  const name = query.get("studio")?.slice(0, 200) ?? null;
  const studio = name === null ? (studios[0] ?? null) : (studios.find((item) => item.name === name) ?? null);
  const fallback = studioToday(app.clock.now(), studio?.timeZone ?? "UTC");
  const date = query.get("date")?.trim() || fallback;
  if (!isStudioDate(date)) return { studio, date: fallback, problem: "date: a date written YYYY-MM-DD" };
  if (name !== null && studio === null)
    return { studio: null, date, problem: "studio: no kiosk reports this studio" };
  return { studio, date, problem: null };
}

/** The end-of-day page per studio and day, and its CSV export. */
export function endOfDayRoutes(app: DashboardApp): DashboardRoute[] {
  return [
    {
      method: "GET",
      path: "/end-of-day",
      access: "user",
      handler: async (context) => {
        const studios = await listStudios(app.db);
        const choice = chooseDay(app, studios, context.url.searchParams);
        const report =
          choice.studio && !choice.problem
            ? dayReport(await studioDay(app.db, choice.studio, choice.date))
            : null;
        return {
          kind: "html",
          status: choice.problem ? 400 : 200,
          body: endOfDayPage({
            viewer: viewerOf(context),
            studios,
            studio: choice.studio?.name ?? null,
            date: choice.date,
            report,
            notice: choice.problem
              ? { kind: "error", text: `[${ErrorCodes.DASHBOARD_FILTER_INVALID}] ${choice.problem}.` }
              : null,
          }),
        };
      },
    },
    {
      method: "GET",
      path: "/end-of-day.csv",
      access: "user",
      handler: async (context): Promise<Reply> => {
        const choice = chooseDay(app, await listStudios(app.db), context.url.searchParams);
        if (choice.problem || !choice.studio)
          throw new KioskError(
            ErrorCodes.DASHBOARD_FILTER_INVALID,
            `The day is not valid: ${choice.problem ?? "studio: none reported"}.`,
          );
        const report = dayReport(await studioDay(app.db, choice.studio, choice.date));
        const slug =
          choice.studio.name
            .normalize("NFKD")
            .replace(/[^A-Za-z0-9]+/g, "-")
            .replace(/^-|-$/g, "") || "studio";
        return {
          kind: "download",
          contentType: "text/csv; charset=utf-8",
          filename: `spectra-end-of-day-${slug}-${choice.date}.csv`,
          write: async (chunk) => chunk(dayCsv(report)),
        };
      },
    },
  ];
}
