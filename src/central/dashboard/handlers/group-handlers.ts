import { ErrorCodes } from "../../../core/error-codes.js";
import { isKioskError, KioskError } from "../../../core/kiosk-error.js";
import { CSRF_FIELD } from "../auth/csrf.js";
import { checkCommand } from "../control/command-sender.js";
import { parseManagedSettings } from "../control/config-pusher.js";
import { findKiosk, listKiosks } from "../fleet/fleet-queries.js";
import { FORMS } from "../form-bounds.js";
import { findGroupAction, partsOf, recentGroupActions } from "../groups/group-action-queries.js";
import { GroupSender } from "../groups/group-sender.js";
import { isSettled, partOutcome } from "../groups/part-outcome.js";
import { groupOf, type KioskGroup, parseStudio, parseTags } from "../groups/placement.js";
import { groupCounts, membersOf, setPlacement } from "../groups/placement-queries.js";
import { type Reply, redirect } from "../http-kit.js";
import { errorPage } from "../pages/error.js";
import { groupActionPage } from "../pages/group-action.js";
import {
  confirmGroupCommandPage,
  confirmGroupConfigPage,
  type GroupMember,
  groupsPage,
} from "../pages/groups.js";
import type { Notice } from "../view/layout.js";
import { type DashboardApp, type DashboardRoute, type RequestContext, viewerOf } from "./context.js";
import { renderKiosk, unknownKiosk } from "./kiosk-view.js";

/** Form fields that are not a command's arguments. */
const NOT_ARGS = new Set([CSRF_FIELD, "name", "confirm", "studio", "tag"]);

function argsOf(form: URLSearchParams): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [key, value] of form) {
    if (!NOT_ARGS.has(key) && value.trim() !== "") args[key] = value.trim();
  }
  return args;
}

async function membersWithState(app: DashboardApp, group: KioskGroup): Promise<GroupMember[]> {
  const [ids, kiosks] = await Promise.all([membersOf(app.db, group), listKiosks(app.db)]);
  const byId = new Map(kiosks.map((kiosk) => [kiosk.deviceId, kiosk]));
  return ids.map((deviceId) => ({ deviceId, kiosk: byId.get(deviceId) ?? null }));
}

/** The groups page, for a group or none, optionally with a notice (a refused form) and the editor's text. */
async function renderGroups(
  app: DashboardApp,
  context: RequestContext,
  chosen: KioskGroup | null,
  options: { status?: number; notice?: Notice | null; editorText?: string } = {},
): Promise<Reply> {
  const [counts, members, actions] = await Promise.all([
    groupCounts(app.db),
    chosen ? membersWithState(app, chosen) : [],
    recentGroupActions(app.db),
  ]);
  const key = app.key.status();
  return {
    kind: "html",
    status: options.status ?? 200,
    body: groupsPage({
      viewer: viewerOf(context),
      studios: counts.studios,
      tags: counts.tags,
      chosen,
      members,
      actions,
      commandsUnavailable: key.ok ? null : key.reason,
      notice: options.notice ?? null,
      ...(options.editorText !== undefined ? { editorText: options.editorText } : {}),
    }),
  };
}

/** The group a form names; a coded error when it names none. */
function formGroup(form: URLSearchParams): KioskGroup {
  const group = groupOf(form);
  if (!group)
    throw new KioskError(
      ErrorCodes.DASHBOARD_GROUP_INVALID,
      "Choose a studio or a tag first. Nothing changed.",
    );
  return group;
}

/**
 * Groups: a kiosk's studio and tags (its page), the groups page, a command or configuration for a
 * group (confirmed first), and the page of each kiosk's outcome.
 */
export function groupRoutes(app: DashboardApp): DashboardRoute[] {
  const sender = new GroupSender({
    db: app.db,
    commands: app.commands,
    configs: app.configs,
    key: app.key,
    settingsCheck: app.settingsCheck,
    clock: app.clock,
    logger: app.logger.child("groups"),
  });
  // A form's group checked for what it is, then the page again with why, when it is refused.
  const refusedGroupForm = async (
    context: RequestContext,
    error: unknown,
    editorText?: string,
  ): Promise<Reply> => {
    if (!isKioskError(error)) throw error;
    let chosen: KioskGroup | null = null;
    try {
      chosen = groupOf(context.form ?? new URLSearchParams());
    } catch {
      chosen = null;
    }
    return renderGroups(app, context, chosen, {
      status: 400,
      notice: { kind: "error", text: error.message },
      ...(editorText !== undefined ? { editorText } : {}),
    });
  };
  return [
    {
      method: "POST",
      path: "/kiosks/:deviceId/placement",
      access: "user",
      form: FORMS.placement,
      handler: async (context) => {
        const deviceId = context.params.deviceId ?? "";
        const form = context.form ?? new URLSearchParams();
        const kiosk = await findKiosk(app.db, deviceId);
        if (!kiosk) return unknownKiosk(context, deviceId);
        try {
          const placement = {
            studio: parseStudio(form.get("studio") ?? ""),
            tags: parseTags(form.get("tags") ?? ""),
          };
          await setPlacement(app.db, {
            deviceId,
            placement,
            user: viewerOf(context).userName,
            at: app.clock.now().toISOString(),
          });
          return redirect(`/kiosks/${encodeURIComponent(deviceId)}#placement`);
        } catch (error) {
          if (!isKioskError(error)) throw error;
          return renderKiosk(app, context, deviceId, {
            status: 400,
            notice: { kind: "error", text: error.message },
          });
        }
      },
    },
    {
      method: "GET",
      path: "/groups",
      access: "user",
      handler: async (context) => {
        try {
          return await renderGroups(app, context, groupOf(context.url.searchParams));
        } catch (error) {
          if (!isKioskError(error)) throw error;
          return renderGroups(app, context, null, {
            status: 400,
            notice: { kind: "error", text: error.message },
          });
        }
      },
    },
    {
      method: "POST",
      path: "/groups/commands",
      access: "user",
      form: FORMS.groupCommand,
      handler: async (context) => {
        const form = context.form ?? new URLSearchParams();
        const viewer = viewerOf(context);
        try {
          const group = formGroup(form);
          const { name, args } = checkCommand(form.get("name") ?? "", argsOf(form));
          if (form.get("confirm") !== "yes") {
            const members = await membersWithState(app, group);
            await sender.members(group);
            return {
              kind: "html",
              status: 200,
              body: confirmGroupCommandPage({ viewer, group, members, name, args }),
            };
          }
          const actionId = await sender.sendCommand({ group, name, args, user: viewer.userName });
          return redirect(`/groups/actions/${actionId}`);
        } catch (error) {
          return refusedGroupForm(context, error);
        }
      },
    },
    {
      method: "POST",
      path: "/groups/config",
      access: "user",
      form: FORMS.groupConfig,
      handler: async (context) => {
        const form = context.form ?? new URLSearchParams();
        const viewer = viewerOf(context);
        const text = form.get("settings") ?? "";
        try {
          const group = formGroup(form);
          const settings = parseManagedSettings(text, app.settingsCheck);
          if (form.get("confirm") !== "yes") {
            await sender.members(group);
            const members = await membersWithState(app, group);
            return {
              kind: "html",
              status: 200,
              body: confirmGroupConfigPage({ viewer, group, members, settings }),
            };
          }
          const actionId = await sender.pushConfig({ group, settingsText: text, user: viewer.userName });
          return redirect(`/groups/actions/${actionId}`);
        } catch (error) {
          return refusedGroupForm(context, error, text);
        }
      },
    },
    {
      method: "GET",
      path: "/groups/actions/:actionId",
      access: "user",
      handler: async (context) => {
        const action = await findGroupAction(app.db, context.params.actionId ?? "");
        if (!action) {
          return {
            kind: "html",
            status: 404,
            body: errorPage({
              viewer: context.viewer,
              title: "No such group action",
              message: "Central has sent nothing to a group with this id.",
            }),
          };
        }
        const parts = await partsOf(app.db, action.id);
        const now = app.clock.now();
        const following = parts.some((part) => !isSettled(partOutcome(part, now)));
        return {
          kind: "html",
          status: 200,
          ...(following ? { refreshSeconds: 3 } : {}),
          body: groupActionPage({ viewer: viewerOf(context), action, parts, now }),
        };
      },
    },
  ];
}
