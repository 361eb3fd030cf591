import { CSRF_FIELD } from "../auth/csrf.js";
import { html, type SafeHtml } from "../html.js";

export type Section =
  | "kiosks"
  | "groups"
  | "payments"
  | "end-of-day"
  | "credits"
  | "dead-letters"
  | "audit"
  | "updates";

/** Who is looking, for the header and every form's CSRF token. */
export interface Viewer {
  readonly userName: string;
  readonly csrfToken: string;
}

export interface Notice {
  readonly kind: "error" | "ok" | "warn";
  readonly text: string;
}

const NAV: readonly (readonly [Section, string, string])[] = [
  ["kiosks", "/", "Kiosks"],
  ["groups", "/groups", "Groups"],
  ["payments", "/payments", "Payments"],
  ["end-of-day", "/end-of-day", "End of day"],
  ["credits", "/credits", "Credits"],
  ["dead-letters", "/dead-letters", "Dead letters"],
  ["audit", "/audit", "Audit log"],
  ["updates", "/updates", "Updates"],
];

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
      ? html`<nav>${NAV.map(
          ([section, href, label]) =>
            html`<a href="${href}"${section === options.section ? html` aria-current="page"` : html``}>${label}</a>`,
        )}</nav>
  <div class="who"><span data-test="signed-in-as">${viewer.userName}</span>
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
