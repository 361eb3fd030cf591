import { ErrorCodes } from "../../../core/error-codes.js";
import { isKioskError, KioskError } from "../../../core/kiosk-error.js";
import { checkCommand } from "../control/command-sender.js";
import { chooseRolloutTargets } from "../control/rollout.js";
import { rolloutOf, rolloutVersions } from "../fleet/rollout-queries.js";
import { FORMS } from "../form-bounds.js";
import type { Reply } from "../http-kit.js";
import { updatesPage } from "../pages/updates.js";
import type { Notice } from "../view/layout.js";
import { type DashboardApp, type DashboardRoute, type RequestContext, viewerOf } from "./context.js";

async function render(
  app: DashboardApp,
  context: RequestContext,
  status: number,
  notice: Notice | null,
  form: Record<string, string> = {},
): Promise<Reply> {
  const versions = await rolloutVersions(app.db);
  const rollouts = await Promise.all(
    versions.map(async (version) => ({ version, kiosks: await rolloutOf(app.db, version) })),
  );
  const body = updatesPage({ viewer: viewerOf(context), rollouts, notice, form });
  // The page follows the rollout by itself, unless it answers a form (a reload would send it again).
  return notice ? { kind: "html", status, body } : { kind: "html", status, refreshSeconds: 10, body };
}

/** The updates page and its form: one signed `update` command per chosen kiosk. */
export function updateRoutes(app: DashboardApp): DashboardRoute[] {
  return [
    {
      method: "GET",
      path: "/updates",
      access: "user",
      handler: (context) => render(app, context, 200, null),
    },
    {
      method: "POST",
      path: "/updates",
      access: "user",
      form: FORMS.update,
      handler: async (context) => {
        const form = context.form ?? new URLSearchParams();
        const fields = Object.fromEntries(
          ["version", "url", "sha256", "kiosks", "first"].map((name) => [name, form.get(name)?.trim() ?? ""]),
        );
        try {
          const { args } = checkCommand("update", {
            version: fields.version,
            url: fields.url,
            sha256: fields.sha256,
          });
          const first =
            fields.first === "" ? 0 : /^\d{1,4}$/.test(fields.first ?? "") ? Number(fields.first) : -1;
          if (first < 0)
            throw new KioskError(ErrorCodes.DASHBOARD_FORM_INVALID, "The first stage is a number of kiosks.");
          const version = String(args.version);
          const targets = chooseRolloutTargets(
            await rolloutOf(app.db, version),
            version,
            fields.kiosks ?? "",
            first,
          );
          const viewer = viewerOf(context);
          const sent: string[] = [];
          for (const kiosk of targets) {
            const result = await app.commands.send({
              deviceId: kiosk.deviceId,
              name: "update",
              args,
              user: viewer.userName,
            });
            sent.push(`${kiosk.deviceId} (${result.delivery})`);
          }
          const text =
            sent.length === 0
              ? `No kiosk left to send ${version} to.`
              : `${version} sent to ${sent.join(", ")}.`;
          return render(app, context, 200, { kind: sent.length === 0 ? "warn" : "ok", text });
        } catch (error) {
          if (!isKioskError(error)) throw error;
          return render(app, context, 400, { kind: "error", text: error.message }, fields);
        }
      },
    },
  ];
}
