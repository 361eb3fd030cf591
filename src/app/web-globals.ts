/** Node's globals that load its fetch implementation (undici) when first touched. */
const UNDICI_GLOBALS = ["fetch", "FormData", "Headers", "Request", "Response", "MessageEvent"] as const;

/**
 * Under --lite-mode or --jitless (how the kiosk's systemd unit runs node, for memory) there is no
 * WebAssembly, and undici compiles its HTTP parser to WebAssembly the first time one of these
 * globals is touched — a rejection nothing can catch, which ends the process. The kiosk never uses
 * them (the Authorize.Net processor speaks node:https); a package that only feature-tests for them (pg looks
 * at `typeof Response`) finds them absent instead of taking the kiosk down. With WebAssembly, nothing
 * changes. Returns the globals removed.
 */
export function removeGlobalsNeedingWebAssembly(scope: Record<string, unknown> = globalThis): string[] {
  if ("WebAssembly" in scope) return [];
  const removed: string[] = [];
  for (const name of UNDICI_GLOBALS) {
    if (name in scope && delete scope[name]) removed.push(name);
  }
  return removed;
}
