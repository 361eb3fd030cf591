import { CSRF_FIELD } from "../auth/csrf.js";
import { type Role, roleAtLeast } from "../auth/roles.js";
import { html, type SafeHtml } from "../html.js";

export type Section =
  | "kiosks"
  | "alerts"
  | "groups"
  | "payments"
  | "end-of-day"
  | "credits"
  | "dead-letters"
  | "audit"
  | "updates"
  | "users";

/** Who is looking, for the header and every form's CSRF token. */
export interface Viewer {
  readonly userName: string;
  readonly csrfToken: string;
  /** Open alerts across the fleet, shown beside "Alerts"; null or absent: not known. */
  readonly openAlerts?: number | null;
  /** Buttons the role cannot use are not shown (the server refuses them anyway). */
  readonly role: Role;
}

/** Whether the viewer may use a control meant for `needed` (operators: commands; admins: users, keys). */
export function may(viewer: Viewer, needed: Role): boolean {
  return roleAtLeast(viewer.role, needed);
}

export interface Notice {
  readonly kind: "error" | "ok" | "warn";
  readonly text: string;
}

/** Each section, its page, its label and the least role that sees it in the navigation. */
const NAV: readonly (readonly [Section, string, string, Role])[] = [
  ["kiosks", "/", "Kiosks", "viewer"],
  ["alerts", "/alerts", "Alerts", "viewer"],
  ["groups", "/groups", "Groups", "viewer"],
  ["payments", "/payments", "Payments", "viewer"],
  ["end-of-day", "/end-of-day", "End of day", "viewer"],
  ["credits", "/credits", "Credits", "viewer"],
  ["dead-letters", "/dead-letters", "Dead letters", "viewer"],
  ["audit", "/audit", "Audit log", "viewer"],
  ["updates", "/updates", "Updates", "viewer"],
  ["users", "/users", "Users", "admin"],
];

/** The open alert count beside "Alerts" in the navigation: red when any is open. */
function alertCountBadge(count: number | null | undefined): SafeHtml {
  if (count === null || count === undefined) return html``;
  return html` <span class="badge ${count > 0 ? "bad" : "none"}" data-test="nav-alert-count" data-value="${count}">${count}</span>`;
}

/** The hidden field every state-changing form carries. */
export function csrfField(viewer: Viewer): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrfToken}">`;
}

export function notice(value: Notice | null | undefined): SafeHtml {
  return value
    ? html`<div class="notice ${value.kind}" role="${value.kind === "error" ? "alert" : "status"}" data-test="notice">${value.text}</div>`
    : html``;
}

/** The page around each view: title, navigation, the signed-in user and a sign-out button. */
export function layout(options: {
  title: string;
  viewer: Viewer | null;
  section: Section | null;
  body: SafeHtml;
  notice?: Notice | null;
}): SafeHtml {
  const { viewer } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Spectra fleet</title>
<link rel="stylesheet" href="/dashboard.css">
</head>
<body data-page="${options.section ?? "none"}">
<header class="top">
  <span class="brand">Spectra fleet</span>
  ${
    viewer
      ? html`<nav>${NAV.filter(([, , , needed]) => may(viewer, needed)).map(
          ([section, href, label]) =>
            html`<a href="${href}"${section === options.section ? html` aria-current="page"` : html``}>${label}${section === "alerts" ? alertCountBadge(viewer.openAlerts) : html``}</a>`,
        )}</nav>
  <div class="who"><span data-test="signed-in-as">${viewer.userName}</span> <span class="badge none" data-test="role">${viewer.role}</span>
    <form class="inline" method="post" action="/sign-out">${csrfField(viewer)}<button type="submit" data-test="sign-out">Sign out</button></form>
  </div>`
      : html`<nav></nav>`
  }
</header>
<main>
${notice(options.notice)}
${options.body}
</main>
</body>
</html>`;
}
