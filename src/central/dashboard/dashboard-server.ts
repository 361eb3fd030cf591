import { existsSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { BackoffPolicy } from "../../sync/mqtt/backoff.js";
import type { BrokerEndpoint } from "../../sync/mqtt/mqtt-connection.js";
import { openAlertCount } from "../alerts/alert-store.js";
import { type DashboardConfig, type IngestConfig, ingestConfigSchema } from "../config.js";
import type { CentralDb } from "../db/central-db.js";
import type { CentralMetrics } from "../metrics/central-metrics.js";
import { withTimeLimit } from "../time-limit.js";
import { roleNeeded } from "./access.js";
import { addressKey, clientAddress } from "./auth/client-address.js";
import { CSRF_FIELD, sameOrigin, tokensMatch } from "./auth/csrf.js";
import { type Role, roleAtLeast } from "./auth/roles.js";
import { SessionStore } from "./auth/sessions.js";
import { SignInThrottle } from "./auth/sign-in-throttle.js";
import { writeAudit } from "./control/audit-log.js";
import { CommandCourier } from "./control/command-courier.js";
import { CommandKeyHolder, generateCommandKey } from "./control/command-key.js";
import { CommandSender } from "./control/command-sender.js";
import { ConfigPusher } from "./control/config-pusher.js";
import { DeadLetterDesk } from "./control/dead-letter-desk.js";
import { Downlink } from "./control/downlink.js";
import type { ManagedSettingsCheck } from "./control/settings-check.js";
import { checkForm, TOKEN_ONLY } from "./form-bounds.js";
import { alertRoutes } from "./handlers/alert-handlers.js";
import { authRoutes } from "./handlers/auth-handlers.js";
import { balanceRoutes } from "./handlers/balance-handlers.js";
import {
  type DashboardApp,
  type Handler,
  type RequestContext,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
} from "./handlers/context.js";
import { controlRoutes } from "./handlers/control-handlers.js";
import { endOfDayRoutes } from "./handlers/end-of-day-handlers.js";
import { fleetRoutes } from "./handlers/fleet-handlers.js";
import { groupRoutes } from "./handlers/group-handlers.js";
import { updateRoutes } from "./handlers/update-handlers.js";
import { userRoutes } from "./handlers/user-handlers.js";
import { parseCookies, type Reply, readForm } from "./http-kit.js";
import type { AlertCheck } from "./pages/alerts.js";
import { errorPage } from "./pages/error.js";
import { Router } from "./router.js";
import type { Viewer } from "./view/layout.js";

export interface DashboardDeps {
  readonly db: CentralDb;
  readonly config: DashboardConfig;
  /** Central's broker account, for the commands and configurations it publishes. */
  readonly endpoint: BrokerEndpoint;
  readonly backoff: BackoffPolicy;
  /** How a desired configuration's settings are checked before they are pushed. */
  readonly settingsCheck: ManagedSettingsCheck;
  readonly logger: Logger;
  readonly clock: Clock;
  /** `/metrics` for Prometheus, answered here (behind its own token, not a session). */
  readonly metrics?: CentralMetrics;
  /** Whether and how often central checks for alerts (central.alerts); off when not given. */
  readonly alertCheck?: AlertCheck;
  /** Ingest's limits, which a dead letter's replay is checked against (the defaults when absent). */
  readonly ingest?: IngestConfig;
}

export interface RunningDashboard {
  readonly url: string;
  readonly port: number;
  readonly downlink: Downlink;
  stop(): Promise<void>;
}

/** No script runs on these pages, nothing loads from elsewhere, no other site may frame them. */
const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
} as const;

const HOUR_MS = 3_600_000;
/**
 * How often queued commands are looked at: a kiosk that comes back gets what waited for it within
 * this (after ingest has written its `online`), and a command that expired is marked so.
 */
const COMMAND_PASS_MS = 2000;

/** Starts the fleet dashboard's web server and its broker connection. */
export async function startDashboard(deps: DashboardDeps): Promise<RunningDashboard> {
  const { db, config, clock, logger } = deps;
  const ingest = deps.ingest ?? ingestConfigSchema.parse({});
  const downlink: Downlink = new Downlink({
    endpoint: deps.endpoint,
    clientId: `central-dashboard-${Math.random().toString(36).slice(2, 10)}`,
    backoff: deps.backoff,
    logger: logger.child("mqtt"),
    onConnected: () => {
      courier.nudge();
      configs
        .publishPending()
        .catch((error: unknown) =>
          logger.warn(`pending configurations not published: ${(error as Error).message}`),
        );
    },
  });
  if (config.createCommandKey && config.commandKeyFile && !existsSync(config.commandKeyFile)) {
    writeFileSync(
      `${config.commandKeyFile}.pub`,
      generateCommandKey(config.commandKeyFile, { force: false }),
    );
    logger.info(
      `created the command key ${config.commandKeyFile} (public half in ${config.commandKeyFile}.pub)`,
    );
  }
  const key = new CommandKeyHolder(config.commandKeyFile);
  const configs: ConfigPusher = new ConfigPusher({
    db,
    downlink,
    key,
    ttlDays: config.desiredConfigTtlDays,
    settingsCheck: deps.settingsCheck,
    clock,
    logger: logger.child("config"),
  });
  const courier = new CommandCourier({ db, downlink, clock, logger: logger.child("commands") });
  const app: DashboardApp = {
    db,
    config,
    sessions: new SessionStore(
      db,
      { idleMs: config.session.idleMinutes * 60_000, absoluteMs: config.session.absoluteHours * HOUR_MS },
      clock,
    ),
    throttle: new SignInThrottle(
      db,
      { maxFailures: config.signIn.maxFailures, lockoutMs: config.signIn.lockoutMinutes * 60_000 },
      clock,
    ),
    addressThrottle: new SignInThrottle(
      db,
      {
        maxFailures: config.signIn.maxFailuresPerAddress,
        lockoutMs: config.signIn.lockoutMinutes * 60_000,
        table: "dashboard_sign_in_addresses",
      },
      clock,
    ),
    key,
    settingsCheck: deps.settingsCheck,
    alertCheck: deps.alertCheck ?? { enabled: false },
    commands: new CommandSender({
      db,
      courier,
      key,
      ttlSeconds: config.commandTtlSeconds,
      clock,
      logger: logger.child("commands"),
    }),
    configs,
    deadLetters: new DeadLetterDesk({
      db,
      ingest: { maxMessageBytes: ingest.maxMessageBytes, limits: { maxAmountMinor: ingest.maxAmountMinor } },
      publish: (message) => downlink.publish(message),
      clock,
      logger: logger.child("dead-letters"),
    }),
    clock,
    logger,
  };
  const keyStatus = key.status();
  if (!keyStatus.ok)
    logger.warn(
      `[${ErrorCodes.DASHBOARD_NO_COMMAND_KEY}] the dashboard sends no commands: ${keyStatus.reason}`,
    );
  const router = new Router<Handler>([
    ...authRoutes(app),
    ...fleetRoutes(app),
    ...alertRoutes(app),
    ...endOfDayRoutes(app),
    ...balanceRoutes(app),
    ...controlRoutes(app),
    ...updateRoutes(app),
    ...userRoutes(app),
    ...groupRoutes(app),
  ]);

  const server = createServer((request, response) => {
    const answer = isMetricsPath(request.url)
      ? serveMetrics(deps.metrics, db, request, response)
      : handle(app, router, request, response);
    answer.catch((error: unknown) => {
      logger.error(`[${ErrorCodes.INTERNAL}] dashboard request failed: ${(error as Error).message}`, {
        path: request.url?.slice(0, 200),
      });
      if (!response.headersSent) {
        write(response, {
          kind: "html",
          status: 500,
          body: errorPage({
            viewer: null,
            title: "Something went wrong",
            code: ErrorCodes.INTERNAL,
            message: "The request failed; it is in central's log.",
          }),
        }).catch(() => response.destroy());
      } else response.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_START_FAILED,
      `The dashboard cannot listen on ${config.host}:${config.port}: ${(error as Error).message}. Check central.dashboard.host and port.`,
      { host: config.host, port: config.port },
      { cause: error },
    );
  }
  downlink.start();
  courier.start(COMMAND_PASS_MS);
  const prune = setInterval(() => {
    pruneOld(app).catch((error: unknown) =>
      logger.warn(`pruning sessions and telemetry failed: ${(error as Error).message}`),
    );
  }, HOUR_MS);
  prune.unref();
  await pruneOld(app).catch(() => {});
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info(`fleet dashboard at ${url}`);
  return {
    url,
    port,
    downlink,
    stop: async () => {
      clearInterval(prune);
      await courier.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await downlink.stop();
      logger.info("fleet dashboard stopped");
    },
  };
}

const isMetricsPath = (url: string | undefined): boolean => (url ?? "").split("?")[0] === "/metrics";

/** `/metrics` has its own bearer token and no session, cookie or page around it. */
async function serveMetrics(
  metrics: CentralMetrics | undefined,
  db: CentralDb,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (metrics) return metrics.serve(db, request, response);
  request.resume();
  response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
  response.end(`[${ErrorCodes.METRICS_NOT_CONFIGURED}] Metrics are off.\n`);
}

/** Ended sessions and telemetry older than the retention go; run hourly. */
async function pruneOld(app: DashboardApp): Promise<void> {
  await app.sessions.prune();
  await app.throttle.prune();
  await app.addressThrottle.prune();
  const before = new Date(app.clock.now().getTime() - app.config.telemetryRetentionDays * 24 * HOUR_MS);
  await app.db.query("DELETE FROM telemetry_history WHERE at < $1::timestamptz", [before.toISOString()]);
}

async function handle(
  app: DashboardApp,
  router: Router<Handler>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://dashboard.invalid");
  const method = request.method ?? "GET";
  const match = router.match(method, url.pathname);
  if (match === null || match === "method-not-allowed") {
    request.resume();
    const status = match === null ? 404 : 405;
    return write(response, {
      kind: "html",
      status,
      body: errorPage({
        viewer: null,
        title: status === 404 ? "Not found" : "Not allowed",
        message: `${method} ${url.pathname.slice(0, 200)}`,
      }),
    });
  }
  const cookies = parseCookies(request.headers.cookie);
  const session = await app.sessions.find(cookies.get(SESSION_COOKIE));
  const viewer: Viewer | null = session
    ? {
        userName: session.userName,
        csrfToken: session.csrfToken,
        role: session.role,
        openAlerts: await alertCount(app),
      }
    : null;
  const needed = roleNeeded(match.route.access, method);
  if (needed !== null && !session) {
    request.resume();
    const hadSession = cookies.has(SESSION_COOKIE);
    const next = method === "GET" ? `${url.pathname}${url.search}` : "/";
    return write(response, {
      kind: "redirect",
      location: `/sign-in?next=${encodeURIComponent(next)}${hadSession ? "&expired=1" : ""}`,
    });
  }
  let form: URLSearchParams | null = null;
  if (method === "POST") {
    try {
      if (!sameOrigin(request.headers.origin, request.headers.host)) {
        request.resume();
        throw new KioskError(ErrorCodes.DASHBOARD_CSRF_INVALID, "The form came from another site.");
      }
      form = await readForm(request);
      // Every state-changing form carries a token: the session's, or the sign-in cookie's before there is one.
      const expected = match.route.path === "/sign-in" ? cookies.get(SIGN_IN_COOKIE) : session?.csrfToken;
      if (!tokensMatch(expected, form.get(CSRF_FIELD))) {
        throw new KioskError(
          ErrorCodes.DASHBOARD_CSRF_INVALID,
          "The form's security token is missing or stale: reload the page and try again.",
        );
      }
      checkForm(form, match.route.form ?? TOKEN_ONLY);
    } catch (error) {
      if (!isKioskError(error)) throw error;
      app.logger.warn(`${error.message} (${method} ${url.pathname.slice(0, 120)})`, { code: error.code });
      const status = error.code === ErrorCodes.DASHBOARD_CSRF_INVALID ? 403 : 400;
      return write(response, {
        kind: "html",
        status,
        body: errorPage({ viewer, title: "Request refused", code: error.code, message: error.detail }),
      });
    }
  }
  // After the CSRF check, so only a form from this dashboard's own pages is audited as refused.
  if (needed !== null && session && !roleAtLeast(session.role, needed)) {
    return refuseRole(app, response, { viewer, method, path: url.pathname, needed, role: session.role });
  }
  const context: RequestContext = {
    url,
    params: match.params,
    form,
    cookies,
    session,
    viewer,
    clientAddress: addressKey(
      clientAddress(
        request.socket.remoteAddress,
        request.headers["x-forwarded-for"],
        app.config.trustedProxies,
      ),
    ),
  };
  let reply: Reply;
  try {
    reply = await match.route.handler(context);
  } catch (error) {
    if (!isKioskError(error)) throw error;
    reply = {
      kind: "html",
      status: 400,
      body: errorPage({ viewer, title: "Request refused", code: error.code, message: error.detail }),
    };
  }
  return write(response, reply, method === "HEAD");
}

/** The open alerts the navigation shows; null (not shown) when the count cannot be had quickly. */
async function alertCount(app: DashboardApp): Promise<number | null> {
  return withTimeLimit(openAlertCount(app.db), 2000).catch(() => null);
}

/** 403 with a coded error: nothing ran. A refused change (a POST) is audited; a refused look is logged. */
async function refuseRole(
  app: DashboardApp,
  response: ServerResponse,
  refused: { viewer: Viewer | null; method: string; path: string; needed: Role; role: Role },
): Promise<void> {
  const path = refused.path.slice(0, 200);
  app.logger.warn(
    `[${ErrorCodes.DASHBOARD_FORBIDDEN}] ${refused.viewer?.userName} (${refused.role}) refused ${refused.method} ${path}`,
    { code: ErrorCodes.DASHBOARD_FORBIDDEN },
  );
  if (refused.method === "POST" && refused.viewer) {
    await writeAudit(app.db, {
      at: app.clock.now().toISOString(),
      userName: refused.viewer.userName,
      action: "access-refused",
      deviceId: null,
      commandId: null,
      detail: { method: refused.method, path, role: refused.role, needed: refused.needed },
    });
  }
  return write(response, {
    kind: "html",
    status: 403,
    body: errorPage({
      viewer: refused.viewer,
      title: "Not allowed",
      code: ErrorCodes.DASHBOARD_FORBIDDEN,
      message: `This needs the ${refused.needed} role; you are ${refused.role === "admin" ? "an" : "a"} ${refused.role}. Nothing changed. An admin can change your role on the Users page.`,
    }),
  });
}

async function write(response: ServerResponse, reply: Reply, headOnly = false): Promise<void> {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  if ("cookies" in reply && reply.cookies?.length) response.setHeader("Set-Cookie", [...reply.cookies]);
  switch (reply.kind) {
    case "redirect":
      response.writeHead(303, { Location: reply.location, "Cache-Control": "no-store" }).end();
      return;
    case "html":
      response.writeHead(reply.status, {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        ...(reply.refreshSeconds ? { Refresh: String(reply.refreshSeconds) } : {}),
      });
      response.end(headOnly ? undefined : reply.body.text);
      return;
    case "text":
      response.writeHead(reply.status, {
        "Content-Type": reply.contentType,
        "Cache-Control": reply.contentType.startsWith("text/css") ? "max-age=300" : "no-store",
      });
      response.end(headOnly ? undefined : reply.body);
      return;
    case "download": {
      response.writeHead(200, {
        "Content-Type": reply.contentType,
        "Content-Disposition": `attachment; filename="${reply.filename}"`,
        "Cache-Control": "no-store",
      });
      if (headOnly) {
        response.end();
        return;
      }
      await reply.write(
        (text) =>
          new Promise<void>((resolve, reject) => {
            // Waits for the socket to drain, so a slow download never fills memory.
            if (response.write(text)) {
              resolve();
              return;
            }
            const drained = (): void => {
              response.off("close", closed);
              resolve();
            };
            const closed = (): void => {
              response.off("drain", drained);
              reject(new Error("the download was cancelled"));
            };
            response.once("drain", drained);
            response.once("close", closed);
          }),
      );
      response.end();
      return;
    }
  }
}
