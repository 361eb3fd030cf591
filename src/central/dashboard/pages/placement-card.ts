import type { KioskSummary } from "../fleet/fleet-queries.js";
import { groupQuery, STUDIO_MAX_LENGTH, TAG_MAX_LENGTH, TAGS_MAX } from "../groups/placement.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, may, type Viewer } from "../view/layout.js";

/** The kiosk's studio and tags as central keeps them, with the form that changes them (audited). */
export function placementCard(viewer: Viewer, kiosk: KioskSummary): SafeHtml {
  const { studio, tags } = kiosk.placement;
  const reported = kiosk.reportedConfig?.studio?.name ?? null;
  return html`<section class="card" id="placement" data-test="placement"><h2>Studio and tags</h2>
<p data-test="placement-now">${
    studio
      ? html`Studio <a href="/groups?${groupQuery({ kind: "studio", name: studio })}"><b>${studio}</b></a>`
      : html`<span class="muted">No studio assigned.</span>`
  }${
    tags.length
      ? html` · tags ${tags.map(
          (tag) =>
            html`<a class="badge info" href="/groups?${groupQuery({ kind: "tag", name: tag })}" data-test="placement-tag">${tag}</a> `,
        )}`
      : html` · <span class="muted">no tags</span>`
  }${
    reported && reported !== studio
      ? html`<br><span class="muted small">The kiosk reports its studio as "${reported}" (its own configuration).</span>`
      : html``
  }</p>
${may(viewer, "operator") ? placementForm(viewer, kiosk) : html`<p class="muted small" data-test="role-note">Changing the studio and tags needs the operator role.</p>`}</section>`;
}

function placementForm(viewer: Viewer, kiosk: KioskSummary): SafeHtml {
  const { studio, tags } = kiosk.placement;
  return html`<form method="post" action="/kiosks/${encodeURIComponent(kiosk.deviceId)}/placement" class="placement">${csrfField(viewer)}
  <div><label for="placement-studio">Studio (up to ${STUDIO_MAX_LENGTH} characters; empty for none)</label><input id="placement-studio" name="studio" value="${studio ?? ""}" maxlength="${STUDIO_MAX_LENGTH}" data-test="placement-studio"></div>
  <div><label for="placement-tags">Tags, separated by commas (up to ${TAGS_MAX}; a–z, 0–9, dashes, ${TAG_MAX_LENGTH} each)</label><input id="placement-tags" name="tags" value="${tags.join(", ")}" data-test="placement-tags"></div>
  <div><button type="submit" data-test="placement-save">Save</button></div>
</form>`;
}
