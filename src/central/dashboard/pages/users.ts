import { ROLES, type Role } from "../auth/roles.js";
import type { DashboardUser } from "../auth/user-directory.js";
import { html, type SafeHtml } from "../html.js";
import { formatTime } from "../view/format.js";
import { csrfField, layout, type Notice, type Viewer } from "../view/layout.js";

const usersPath = (name: string, action: string): string => `/users/${encodeURIComponent(name)}/${action}`;

/** What each role may do, as the page and docs/dashboard.md say it. */
const ROLE_TEXT: Record<Role, string> = {
  viewer: "sees every page; sends nothing",
  operator: "also sends commands, configurations and updates",
  admin: "also manages users and delivers secrets (keys)",
};

function roleSelect(id: string, selected: Role): SafeHtml {
  return html`<select id="${id}" name="role">${ROLES.map(
    (role) => html`<option value="${role}"${role === selected ? html` selected` : html``}>${role}</option>`,
  )}</select>`;
}

function userRow(viewer: Viewer, user: DashboardUser): SafeHtml {
  const you = user.name === viewer.userName;
  const id = `role-${user.name.replace(/[^a-z0-9]/g, "-")}`;
  return html`<tr data-test="user" data-name="${user.name}" data-role="${user.role}">
<td>${user.name}${you ? html` <span class="muted small">(you)</span>` : html``}</td>
<td><span class="badge ${user.role === "admin" ? "info" : "none"}" data-test="user-role">${user.role}</span></td>
<td class="small">${formatTime(user.createdAt)}</td>
<td class="small">${user.lastSignInAt ? formatTime(user.lastSignInAt) : html`<span class="muted">never</span>`}</td>
<td><form class="row-form" method="post" action="${usersPath(user.name, "role")}">${csrfField(viewer)}
<label class="visually-hidden" for="${id}">Role of ${user.name}</label>${roleSelect(id, user.role)}
<button type="submit" class="secondary" data-test="change-role">Change</button></form></td>
<td><form class="row-form" method="post" action="${usersPath(user.name, "remove")}">${csrfField(viewer)}
<button type="submit" class="danger" data-test="remove-user">Remove…</button></form></td></tr>`;
}

/** Users (admins only): every user with role, created and last sign-in; add, change a role, remove. */
export function usersPage(options: {
  viewer: Viewer;
  users: readonly DashboardUser[];
  notice?: Notice | null;
  form?: { name: string; role: Role };
}): SafeHtml {
  const { viewer } = options;
  const body = html`<h1>Users</h1>
<section class="card">
<div class="table-scroll"><table class="users" data-test="users"><thead><tr><th>Name</th><th>Role</th><th>Created</th><th>Last sign-in</th><th>Role change</th><th></th></tr></thead>
<tbody>${options.users.map((user) => userRow(viewer, user))}</tbody></table></div>
<p class="muted small">Removing a user ends their sessions at once. The last admin cannot be removed or given another role.</p>
</section>
<section class="card">
<h2>Add a user</h2>
<form method="post" action="/users" autocomplete="off" data-test="add-user">${csrfField(viewer)}
<div class="filters">
<div><label for="new-name">Name</label><input id="new-name" name="name" maxlength="64" required value="${options.form?.name ?? ""}" placeholder="clerk@studio" data-test="new-name"></div>
<div><label for="new-role">Role</label>${roleSelect("new-role", options.form?.role ?? "viewer")}</div>
<div><label for="new-password">Password (12 characters or more)</label><input id="new-password" type="password" name="password" maxlength="1024" required autocomplete="new-password" data-test="new-password"></div>
<div><button type="submit" data-test="add-user-submit">Add user</button></div>
</div></form>
<table class="roles"><tbody>${ROLES.map((role) => html`<tr><th>${role}</th><td>${ROLE_TEXT[role]}</td></tr>`)}</tbody></table>
</section>`;
  return layout({ title: "Users", viewer, section: "users", body, notice: options.notice ?? null });
}

/** The confirmation before a user is removed. */
export function confirmRemoveUserPage(options: { viewer: Viewer; user: DashboardUser }): SafeHtml {
  const { viewer, user } = options;
  const you = user.name === viewer.userName;
  const body = html`<section class="card confirm" data-test="confirm-remove">
<h1>Remove ${user.name}?</h1>
<p>${user.name} (${user.role}) can no longer sign in, and every session they have ends now.${you ? " That includes yours: you will be signed out." : ""}</p>
<form method="post" action="${usersPath(user.name, "remove")}">${csrfField(viewer)}
<input type="hidden" name="confirm" value="yes">
<div class="actions"><button type="submit" class="danger" data-test="confirm">Confirm: remove ${user.name}</button>
<a href="/users" data-test="cancel">Cancel</a></div>
</form></section>`;
  return layout({ title: `Remove ${user.name}`, viewer, section: "users", body });
}
