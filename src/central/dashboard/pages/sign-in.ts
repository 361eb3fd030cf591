import { CSRF_FIELD } from "../auth/csrf.js";
import { html, type SafeHtml } from "../html.js";
import { layout, type Notice } from "../view/layout.js";

/** The sign-in form; its CSRF token is the sign-in cookie's (there is no session yet). */
export function signInPage(options: {
  csrfToken: string;
  name?: string;
  next: string;
  notice?: Notice | null;
}): SafeHtml {
  const body = html`<section class="card signin">
<h1>Sign in</h1>
<form method="post" action="/sign-in" data-test="sign-in">
<input type="hidden" name="${CSRF_FIELD}" value="${options.csrfToken}">
<input type="hidden" name="next" value="${options.next}">
<label for="name">User</label><input id="name" name="name" autocomplete="username" required value="${options.name ?? ""}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" data-test="sign-in-submit">Sign in</button>
</form></section>`;
  return layout({ title: "Sign in", viewer: null, section: null, body, notice: options.notice ?? null });
}
