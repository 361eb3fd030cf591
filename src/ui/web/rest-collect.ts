/**
 * Frees the screen's garbage while nobody is using it. Every screen change leaves the old screen's
 * DOM nodes behind as garbage in Blink's heap, and Chromium collects it late: after 200 payments the
 * renderer held 33 MB of it (141 MB of PSS, 103 MB once collected; `npm run bench -- ui --pi-class`).
 * When a screen has stayed unchanged for a while — the attract screen between clients, mostly — a
 * full collection brings the renderer back down, at a moment when no touch is waiting for it. V8's
 * "last-resort" collection also gives the freed memory back: 60 payments left a renderer of 107 MB
 * after a regular one, 99 MB after this.
 *
 * `gc` exists only when Chromium runs with `--js-flags=--expose-gc` (systemd/spectra-screen.service
 * gives it); in any other browser this does nothing.
 */
export const REST_BEFORE_COLLECT_MS = 5000;

/** V8's exposed gc() takes these; "last-resort" collects everything it can and gives freed memory back. */
export interface GcOptions {
  readonly type: "major" | "minor";
  readonly execution: "sync" | "async";
  readonly flavor: "regular" | "last-resort";
}

export const AT_REST: GcOptions = { type: "major", execution: "sync", flavor: "last-resort" };

declare global {
  interface Window {
    gc?: (options?: GcOptions) => void;
  }
}

let pending: ReturnType<typeof setTimeout> | null = null;

/**
 * Call on every screen change, with `window.gc`: collects once the screen has rested for
 * REST_BEFORE_COLLECT_MS, and not at all while screens keep changing.
 */
export function collectAtRest(collect: ((options?: GcOptions) => void) | undefined): void {
  if (pending !== null) clearTimeout(pending);
  pending = null;
  if (!collect) return;
  pending = setTimeout(() => {
    pending = null;
    collect(AT_REST);
  }, REST_BEFORE_COLLECT_MS);
}
