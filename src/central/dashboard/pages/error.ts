import { html, type SafeHtml } from "../html.js";
import { layout, type Viewer } from "../view/layout.js";

/** A page for a refused request: what went wrong, with its code, and a way back. */
export function errorPage(options: {
  viewer: Viewer | null;
  title: string;
  message: string;
  code?: string;
}): SafeHtml {
  const body = html`<section class="card confirm" data-test="error" data-code="${options.code ?? ""}">
<h1>${options.title}</h1>
<p>${options.code ? html`<code>${options.code}</code> ` : html``}${options.message}</p>
<p><a href="/">Back to the kiosks</a></p></section>`;
  return layout({ title: options.title, viewer: options.viewer, section: null, body });
}
