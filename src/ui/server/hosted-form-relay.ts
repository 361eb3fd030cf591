import type { ServerResponse } from "node:http";

const PREFIX = "/hosted-form/";

interface OpenForm {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * Opens a processor's hosted form that takes its token by POST (Authorize.Net's) in the staff
 * screen's frame: the frame loads this relay page from the screen's own server, which posts the
 * token to the processor at once. The screen itself keeps `form-action 'none'`; only this page may
 * post, and only to the processor's origin. The relay holds the token while the entry is open.
 */
export class HostedFormRelay {
  readonly #forms = new Map<string, OpenForm>();

  /** The frame's address for this entry. */
  open(sessionId: string, url: string, fields: Readonly<Record<string, string>>): string {
    this.#forms.set(sessionId, { url, fields });
    return `${PREFIX}${encodeURIComponent(sessionId)}`;
  }

  close(sessionId: string): void {
    this.#forms.delete(sessionId);
  }

  /** Serves the relay page for `path`; false when `path` is not one of its pages. */
  serve(path: string, response: ServerResponse): boolean {
    if (!path.startsWith(PREFIX)) return false;
    const form = this.#forms.get(decodeURIComponent(path.slice(PREFIX.length)));
    if (!form) {
      response.writeHead(404, { "content-type": "text/plain", "cache-control": "no-store" });
      response.end("This card entry is closed.");
      return true;
    }
    const origin = new URL(form.url).origin;
    const inputs = Object.entries(form.fields)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
      .join("");
    response.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": `frame-ancestors 'self'; form-action ${origin}; object-src 'none'; base-uri 'none'`,
      "x-frame-options": "SAMEORIGIN",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
    response.end(
      `<!doctype html><html><body><form method="post" action="${escapeHtml(form.url)}">${inputs}</form>` +
        "<script>document.forms[0].submit()</script></body></html>",
    );
    return true;
  }
}
