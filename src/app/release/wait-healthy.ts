import { get } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { KioskService } from "./kiosk-service.js";

export interface HealthWait {
  readonly service: KioskService;
  /** The screen server's /health (http://127.0.0.1:8080/health). */
  readonly healthUrl: string;
  readonly version: string;
  /** The whole time the new release has to become healthy. */
  readonly withinMs: number;
  /** How long it must then stay up as the same instance (its heartbeat: no crash, no watchdog restart). */
  readonly steadyMs: number;
}

export type Health = { readonly healthy: true } | { readonly healthy: false; readonly reason: string };

function health(url: string): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const request = get(url, { timeout: 2000 }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body = (body + chunk).slice(0, 10_000);
      });
      response.on("end", () => {
        try {
          resolve(response.statusCode === 200 ? (JSON.parse(body) as Record<string, unknown>) : null);
        } catch {
          resolve(null);
        }
      });
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(null));
  });
}

/**
 * Healthy: the service is up (systemd: READY), its screen server answers /health with this version and
 * in service, and `steadyMs` later the same instance still does. Anything short of that by `withinMs`
 * is not healthy, with the last thing that was wrong as the reason.
 */
type Check =
  | { readonly ok: true; readonly instance: string | null }
  | { readonly ok: false; readonly reason: string };

async function check(wait: HealthWait): Promise<Check> {
  const state = await wait.service.state();
  if (!state.up) return { ok: false, reason: "the kiosk is not up (no READY, or it exited)" };
  const facts = await health(wait.healthUrl);
  if (facts === null) return { ok: false, reason: `the screen is not served (${wait.healthUrl})` };
  if (facts.version !== wait.version) {
    return { ok: false, reason: `the screen serves version ${String(facts.version)}, not ${wait.version}` };
  }
  if (facts.inService !== true) return { ok: false, reason: "the kiosk is out of service" };
  return { ok: true, instance: state.instance };
}

export async function waitHealthy(wait: HealthWait): Promise<Health> {
  const deadline = Date.now() + wait.withinMs;
  let reason = "not started";
  while (Date.now() < deadline) {
    const first = await check(wait);
    if (first.ok) {
      await sleep(Math.min(wait.steadyMs, Math.max(0, deadline - Date.now())));
      const again = await check(wait);
      if (again.ok && again.instance === first.instance) return { healthy: true };
      reason = again.ok ? `it restarted during ${wait.steadyMs} ms` : again.reason;
    } else reason = first.reason;
    await sleep(250);
  }
  return { healthy: false, reason: `not healthy within ${wait.withinMs} ms: ${reason}` };
}
