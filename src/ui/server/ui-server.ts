import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import { type BrowserMessage, type ServerMessage, SOCKET_PATH } from "../protocol.js";
import { type DevPanelDeps, handleDevRequest } from "./dev-panel.js";
import type { HostedFormRelay } from "./hosted-form-relay.js";
import { RefusalLog } from "./refusal-log.js";
import { errorMessage, json, SCREEN_SECURITY_HEADERS } from "./screen-http.js";
import { parseScreenMessage, SOCKET_MAX_PAYLOAD } from "./screen-message.js";
import { type OriginRefusal, ScreenOrigin } from "./screen-origin.js";
import type { UiSession } from "./session.js";
import { loadStaticFiles, type StaticFile } from "./static-files.js";

export interface UiServerOptions {
  readonly host: string;
  readonly port: number;
  readonly session: UiSession;
  /** Present in simulated mode: the dev panel's endpoints answer. */
  readonly devPanel: DevPanelDeps | null;
  readonly logger: Logger;
  readonly webDir?: string;
  /** Serves the relay pages of hosted forms opened by POST (/hosted-form/…). */
  readonly hostedForms?: HostedFormRelay;
  /** More facts for GET /health (the running version, in service or not): an updater reads them. */
  readonly health?: () => Readonly<Record<string, string | number | boolean | null>>;
}

export interface RunningUiServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Spectra Kiosk</title>
<p>The screen is not built: run <code>npm run build</code>.</p>`;

/** A screen that does not read what it is sent is dropped before its backlog fills memory. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

const REFUSALS: Record<OriginRefusal, string> = {
  host: "its Host is not the screen's address",
  origin: "it came from a page of another origin",
  site: "the browser says it came from another site",
};

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.terminate();
    return;
  }
  socket.send(JSON.stringify(message));
}

function serveFile(request: IncomingMessage, response: ServerResponse, file: StaticFile): void {
  const gzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
  response.writeHead(200, {
    ...SCREEN_SECURITY_HEADERS,
    "content-type": file.type,
    "cache-control": "no-cache",
    ...(gzip ? { "content-encoding": "gzip" } : {}),
  });
  response.end(gzip ? file.gzipped : file.body);
}

/** Answers an upgrade that is not the screen's own with a plain HTTP refusal, then hangs up. */
function refuseUpgrade(socket: Duplex, status: 403 | 404, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${status === 403 ? "Forbidden" : "Not Found"}\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * The screen's server: the built front end over HTTP, the session over one WebSocket per browser,
 * and (simulated mode only) the dev panel's endpoints. Listens on 127.0.0.1 unless configured.
 */
export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  const { session, logger, devPanel } = options;
  const files = loadStaticFiles(options.webDir);
  if (!files) logger.error(`[${ErrorCodes.UI_NOT_BUILT}] the front end is not built: run npm run build`);
  const refusals = new RefusalLog(logger);
  // Known once the server listens (the port may be chosen then); nothing is served before.
  let origin: ScreenOrigin | null = null;

  /** Why a request is not the screen's own (logged once per flood), or null to serve it. */
  const refusedOrigin = (request: IncomingMessage): string | null => {
    const refusal = origin ? origin.check(request.headers) : "host";
    if (refusal === null) return null;
    const what = `${request.method ?? "GET"} ${(request.url ?? "/").slice(0, 100)}`;
    refusals.refused(
      ErrorCodes.UI_ORIGIN_REFUSED,
      `refused ${what}: ${REFUSALS[refusal]} (Host ${JSON.stringify(request.headers.host?.slice(0, 100) ?? null)}, Origin ${JSON.stringify(request.headers.origin?.slice(0, 100) ?? null)})`,
    );
    return REFUSALS[refusal];
  };

  const http: Server = createServer((request, response) => {
    const refused = refusedOrigin(request);
    if (refused) {
      request.resume();
      return json(response, 403, {
        code: ErrorCodes.UI_ORIGIN_REFUSED,
        message: `The kiosk's screen serves only itself: ${refused}.`,
      });
    }
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (path.startsWith("/dev/")) {
      handleDevRequest(request, response, path, devPanel).catch((error: unknown) => {
        logger.warn(`dev panel request failed: ${(error as Error).message}`);
        if (!response.headersSent) json(response, 500, errorMessage(error));
      });
      return;
    }
    request.resume();
    if (path === "/health")
      return json(response, 200, { ok: true, built: files !== null, ...options.health?.() });
    if (request.method === "GET" && options.hostedForms?.serve(path, response)) return;
    const file = files?.get(path);
    if (file && (request.method === "GET" || request.method === "HEAD"))
      return serveFile(request, response, file);
    if (path === "/" && !files) {
      response.writeHead(503, { ...SCREEN_SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" });
      response.end(NOT_BUILT);
      return;
    }
    response.writeHead(404, { ...SCREEN_SECURITY_HEADERS, "content-type": "text/plain" });
    response.end("not found");
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: SOCKET_MAX_PAYLOAD });
  http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", (error) => logger.debug(`screen socket error before the handshake: ${error.message}`));
    const refused = refusedOrigin(request);
    if (refused) {
      const body = {
        code: ErrorCodes.UI_ORIGIN_REFUSED,
        message: `The kiosk's screen serves only itself: ${refused}.`,
      };
      return refuseUpgrade(socket, 403, JSON.stringify(body));
    }
    if ((request.url ?? "").split("?")[0] !== SOCKET_PATH) return refuseUpgrade(socket, 404, "{}");
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit("connection", ws, request));
  });
  sockets.on("connection", (socket: WebSocket) => {
    send(socket, session.current());
    const unsubscribe = session.subscribe((message) => send(socket, message));
    socket.on("close", unsubscribe);
    socket.on("error", (error: Error & { code?: string }) => {
      // A frame over maxPayload, text that is not UTF-8, a protocol error: ws closes the socket.
      const code =
        error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH"
          ? ErrorCodes.UI_MESSAGE_TOO_LARGE
          : ErrorCodes.UI_MESSAGE_INVALID;
      refusals.refused(code, `screen socket closed: ${error.message}`);
    });
    socket.on("message", (data, isBinary) => {
      let message: BrowserMessage;
      try {
        message = parseScreenMessage(data, isBinary);
      } catch (error) {
        const reply = errorMessage(error);
        refusals.refused(reply.code, reply.message);
        send(socket, reply);
        return;
      }
      try {
        session.touch(message);
      } catch (error) {
        if (!isKioskError(error)) logger.error(`touch failed: ${(error as Error).message}`);
        send(socket, errorMessage(error));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void =>
      reject(
        new KioskError(
          ErrorCodes.UI_PORT_UNAVAILABLE,
          `The screen's server cannot listen on ${options.host}:${options.port} (${error.code ?? error.message}): set ui.port to a free port.`,
        ),
      );
    http.once("error", failed);
    http.listen(options.port, options.host, () => {
      http.off("error", failed);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  origin = new ScreenOrigin(options.host, port);
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}/`;
  return {
    url,
    port,
    close: async () => {
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      refusals.flush();
    },
  };
}
