import { ErrorCodes } from "../../../core/error-codes.js";
import { isKioskError } from "../../../core/kiosk-error.js";
import { isDeviceId } from "../../../sync/protocol/topics.js";
import {
  DEAD_LETTER_STATUSES,
  type DeadLetterStatusFilter,
  deadLetterCodes,
  openDeadLetterCount,
  recentDeadLetters,
} from "../fleet/dead-letter-queries.js";
import { kioskIds } from "../fleet/payment-queries.js";
import { FORMS } from "../form-bounds.js";
import { type Reply, redirect } from "../http-kit.js";
import { deadLettersPage } from "../pages/dead-letters.js";
import type { Notice } from "../view/layout.js";
import { type DashboardApp, type DashboardRoute, type RequestContext, viewerOf } from "./context.js";

const PAGE_ROWS = 200;
const OUTCOMES = new Set(["stored", "duplicate", "superseded"]);

const statusOf = (value: string | null): DeadLetterStatusFilter =>
  DEAD_LETTER_STATUSES.find((status) => status === value) ?? "open";

/** The notice a redirect after a replay or dismissal asks for (only known words are shown). */
function doneNotice(params: URLSearchParams): Notice | null {
  const id = params.get("letter") ?? "";
  if (!/^[0-9]{1,18}$/.test(id)) return null;
  if (params.get("done") === "dismissed") return { kind: "ok", text: `Dead letter #${id} dismissed.` };
  if (params.get("done") !== "replayed") return null;
  const outcomes = (params.get("outcomes") ?? "").split(",").filter((outcome) => OUTCOMES.has(outcome));
  const told =
    params.get("told") === "1"
      ? "Its kiosk was sent central's new answer and stops listing it."
      : "Its kiosk could not be told now: it keeps listing the refusal until staff clear it there.";
  return {
    kind: params.get("told") === "1" ? "ok" : "warn",
    text: `Dead letter #${id} replayed: ${outcomes.join(", ") || "written"}. ${told}`,
  };
}

/** The dead-letter list, as the query asks, with a notice when given one. */
export async function deadLettersReply(
  app: DashboardApp,
  context: RequestContext,
  answer: { status: number; notice: Notice } | null = null,
): Promise<Reply> {
  const params = context.url.searchParams;
  const kiosk = params.get("kiosk");
  const deviceId = kiosk && isDeviceId(kiosk) ? kiosk : null;
  const code = params.get("code")?.slice(0, 64) || null;
  const recordsOnly = params.get("records") === "1";
  const status = statusOf(params.get("status"));
  const [letters, codes, kiosks, openCount] = await Promise.all([
    recentDeadLetters(app.db, { deviceId, code, recordsOnly, status, limit: PAGE_ROWS }),
    deadLetterCodes(app.db),
    kioskIds(app.db),
    openDeadLetterCount(app.db),
  ]);
  return {
    kind: "html",
    status: answer?.status ?? 200,
    body: deadLettersPage({
      viewer: viewerOf(context),
      letters,
      codes,
      kiosks,
      deviceId,
      code,
      recordsOnly,
      status,
      openCount,
      limit: PAGE_ROWS,
      notice: answer?.notice ?? doneNotice(params),
    }),
  };
}

/** A refused request shows the open list again with why (status 400 unless told). */
async function refused(app: DashboardApp, context: RequestContext, error: unknown): Promise<Reply> {
  if (!isKioskError(error)) throw error;
  const status =
    error.code === ErrorCodes.DEAD_LETTER_UNKNOWN
      ? 404
      : error.code === ErrorCodes.CENTRAL_DB_UNAVAILABLE
        ? 503
        : 400;
  return deadLettersReply(app, context, { status, notice: { kind: "error", text: error.message } });
}

/** POST /dead-letters/:id/replay and /dismiss (CSRF checked by the server before they run). */
export function deadLetterRoutes(app: DashboardApp): DashboardRoute[] {
  return [
    {
      method: "POST",
      path: "/dead-letters/:id/replay",
      access: "user",
      form: FORMS.deadLetterReplay,
      handler: async (context) => {
        const id = context.params.id ?? "";
        try {
          const result = await app.deadLetters.replay(id, viewerOf(context).userName);
          if (!result.replayed)
            return deadLettersReply(app, context, {
              status: 422,
              notice: {
                kind: "error",
                text: `[${ErrorCodes.DEAD_LETTER_REPLAY_FAILED}] Dead letter #${id} was replayed and refused again: [${result.code}] ${result.reason}. It stays open with this reason; fix the cause and replay it, or dismiss it with a reason.`,
              },
            });
          const outcomes = Object.keys(result.outcomes).join(",");
          return redirect(
            `/dead-letters?done=replayed&letter=${encodeURIComponent(id)}&outcomes=${encodeURIComponent(outcomes)}&told=${result.kioskTold ? "1" : "0"}`,
          );
        } catch (error) {
          return refused(app, context, error);
        }
      },
    },
    {
      method: "POST",
      path: "/dead-letters/:id/dismiss",
      access: "user",
      form: FORMS.deadLetterDismiss,
      handler: async (context) => {
        const id = context.params.id ?? "";
        try {
          await app.deadLetters.dismiss(id, viewerOf(context).userName, context.form?.get("reason") ?? "");
          return redirect(`/dead-letters?done=dismissed&letter=${encodeURIComponent(id)}`);
        } catch (error) {
          return refused(app, context, error);
        }
      },
    },
  ];
}
