import { ErrorCodes } from "../../../core/error-codes.js";
import { jsonNestingExceeds } from "../../../core/json-nesting.js";
import { isKioskError, KioskError } from "../../../core/kiosk-error.js";
import { CSRF_FIELD } from "../auth/csrf.js";
import { checkCommand } from "../control/command-sender.js";
import { parseManagedSettings } from "../control/config-pusher.js";
import { findKiosk } from "../fleet/fleet-queries.js";
import { desiredConfigs } from "../fleet/kiosk-queries.js";
import { FORMS } from "../form-bounds.js";
import { type Reply, redirect } from "../http-kit.js";
import { confirmCommandPage, confirmConfigPage } from "../pages/confirm.js";
import { type DashboardApp, type DashboardRoute, type RequestContext, viewerOf } from "./context.js";
import { renderKiosk, unknownKiosk } from "./kiosk-view.js";

/** Form fields that are not a command's arguments. */
const NOT_ARGS = new Set([CSRF_FIELD, "name", "confirm"]);

/** A command's arguments from its form: every other field that has a value. */
function argsOf(form: URLSearchParams): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [key, value] of form) {
    if (!NOT_ARGS.has(key) && value.trim() !== "") args[key] = value.trim();
  }
  return args;
}

/** A version is a positive integer column (desired_configs.version): 1 to 2^31 − 1. */
const MAX_VERSION = 2_147_483_647;

function baseVersionOf(form: URLSearchParams): number | null {
  const text = form.get("baseVersion")?.trim() ?? "";
  if (text === "") return null;
  const version = /^\d{1,10}$/.test(text) ? Number(text) : 0;
  if (version < 1 || version > MAX_VERSION) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_FORM_INVALID,
      `The form was refused: baseVersion must be a version from 1 to ${MAX_VERSION}. Nothing changed.`,
    );
  }
  return version;
}

/** Deeper than any managed setting nests: refused before the editor's JSON is parsed. */
const MAX_SETTINGS_NESTING = 16;

function checkSettingsShape(text: string): void {
  if (jsonNestingExceeds(text, MAX_SETTINGS_NESTING)) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_CONFIG_INVALID,
      `The configuration nests deeper than ${MAX_SETTINGS_NESTING} levels; no managed setting does.`,
    );
  }
}

/** A refused request shows the kiosk page again, with why (and what was typed, for the editor). */
async function refused(
  app: DashboardApp,
  context: RequestContext,
  deviceId: string,
  error: unknown,
  editorText?: string,
): Promise<Reply> {
  if (!isKioskError(error)) throw error;
  return renderKiosk(app, context, deviceId, {
    status: 400,
    notice: { kind: "error", text: error.message },
    ...(editorText !== undefined ? { editorText } : {}),
  });
}

export function controlRoutes(app: DashboardApp): DashboardRoute[] {
  return [
    {
      method: "POST",
      path: "/kiosks/:deviceId/commands",
      access: "user",
      form: FORMS.command,
      handler: async (context) => {
        const deviceId = context.params.deviceId ?? "";
        const form = context.form ?? new URLSearchParams();
        const viewer = viewerOf(context);
        const kiosk = await findKiosk(app.db, deviceId);
        if (!kiosk) return unknownKiosk(context, deviceId);
        try {
          const { name, args } = checkCommand(form.get("name") ?? "", argsOf(form));
          if (form.get("confirm") !== "yes") {
            return {
              kind: "html",
              status: 200,
              body: confirmCommandPage({
                viewer,
                kiosk,
                name,
                args,
                ttlSeconds: app.config.commandTtlSeconds,
              }),
            };
          }
          const sent = await app.commands.send({ deviceId, name, args, user: viewer.userName });
          return redirect(`/commands/${sent.command.commandId}`);
        } catch (error) {
          return refused(app, context, deviceId, error);
        }
      },
    },
    {
      method: "POST",
      path: "/kiosks/:deviceId/config",
      access: "user",
      form: FORMS.config,
      handler: async (context) => {
        const deviceId = context.params.deviceId ?? "";
        const form = context.form ?? new URLSearchParams();
        const viewer = viewerOf(context);
        const kiosk = await findKiosk(app.db, deviceId);
        if (!kiosk) return unknownKiosk(context, deviceId);
        const text = form.get("settings") ?? "";
        try {
          const baseVersion = baseVersionOf(form);
          checkSettingsShape(text);
          const settings = parseManagedSettings(text, app.settingsCheck);
          if (form.get("confirm") !== "yes") {
            const [latest] = await desiredConfigs(app.db, deviceId, 1);
            return {
              kind: "html",
              status: 200,
              body: confirmConfigPage({
                viewer,
                kiosk,
                settings,
                current: latest?.settings ?? null,
                baseVersion,
              }),
            };
          }
          const pushed = await app.configs.push({
            deviceId,
            settingsText: text,
            baseVersion,
            user: viewer.userName,
          });
          return redirect(`/kiosks/${encodeURIComponent(deviceId)}?pushed=${pushed.version}#configuration`);
        } catch (error) {
          return refused(app, context, deviceId, error, text);
        }
      },
    },
    {
      method: "POST",
      path: "/kiosks/:deviceId/secret",
      // A secret is a key: admins only.
      access: "admin",
      form: FORMS.secret,
      handler: async (context) => {
        const deviceId = context.params.deviceId ?? "";
        const form = context.form ?? new URLSearchParams();
        const viewer = viewerOf(context);
        const kiosk = await findKiosk(app.db, deviceId);
        if (!kiosk) return unknownKiosk(context, deviceId);
        try {
          const pushed = await app.configs.pushSecret({
            deviceId,
            name: form.get("name") ?? "",
            value: form.get("value") ?? "",
            user: viewer.userName,
          });
          return redirect(`/kiosks/${encodeURIComponent(deviceId)}?pushed=${pushed.version}#configuration`);
        } catch (error) {
          return refused(app, context, deviceId, error);
        }
      },
    },
  ];
}
