import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import { browserMessageSchema, type ServerMessage, SOCKET_PATH } from "../protocol.js";
import { type DevPanelDeps, devCardNames, devScan, devSwipe } from "./dev-panel.js";
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
}

export interface RunningUiServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 4096;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Spectra Kiosk</title>
<p style="font:24px sans-serif;padding:2em">The screen is not built: run <code>npm run build</code>.</p>`;

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function errorMessage(error: unknown): ServerMessage {
  const coded = isKioskError(error)
    ? error
    : new KioskError(ErrorCodes.INTERNAL, "Something went wrong; nothing changed.");
  return { type: "error", code: coded.code, message: coded.detail };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new KioskError(ErrorCodes.UI_DEV_REQUEST_INVALID, "The request body is too large.");
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch {
    throw new KioskError(ErrorCodes.UI_DEV_REQUEST_INVALID, "The request body is not JSON.");
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

function serveFile(request: IncomingMessage, response: ServerResponse, file: StaticFile): void {
  const gzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
  response.writeHead(200, {
    "content-type": file.type,
    "cache-control": "no-cache",
    ...(gzip ? { "content-encoding": "gzip" } : {}),
  });
  response.end(gzip ? file.gzipped : file.body);
}

/**
 * The screen's server: the built front end over HTTP, the session over one WebSocket per browser,
 * and (simulated mode only) the dev panel's endpoints. Listens on 127.0.0.1 unless configured.
 */
export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  const { session, logger, devPanel } = options;
  const files = loadStaticFiles(options.webDir);
  if (!files) logger.error(`[${ErrorCodes.UI_NOT_BUILT}] the front end is not built: run npm run build`);

  const handleDev = async (
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
  ): Promise<void> => {
    if (!devPanel) {
      json(response, 404, {
        code: ErrorCodes.UI_DEV_PANEL_OFF,
        message: "The dev panel is for simulated devices.",
      });
      return;
    }
    if (request.method === "GET" && path === "/dev/cards")
      return json(response, 200, { cards: devCardNames() });
    if (request.method !== "POST") return json(response, 405, { code: ErrorCodes.UI_DEV_REQUEST_INVALID });
    try {
      const body = await readJson(request);
      if (path === "/dev/swipe") devSwipe(devPanel, body);
      else if (path === "/dev/scan") devScan(devPanel, body);
      else
        return json(response, 404, { code: ErrorCodes.UI_DEV_REQUEST_INVALID, message: "No such endpoint." });
      json(response, 200, { ok: true });
    } catch (error) {
      const reply = errorMessage(error);
      json(response, 400, reply);
    }
  };

  const http: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (path.startsWith("/dev/")) {
      handleDev(request, response, path).catch((error: unknown) => {
        logger.warn(`dev panel request failed: ${(error as Error).message}`);
        if (!response.headersSent) json(response, 500, errorMessage(error));
      });
      return;
    }
    if (path === "/health") return json(response, 200, { ok: true, built: files !== null });
    const file = files?.get(path);
    if (file && request.method === "GET") return serveFile(request, response, file);
    if (path === "/" && !files) {
      response.writeHead(503, { "content-type": "text/html; charset=utf-8" });
      response.end(NOT_BUILT);
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found");
  });

  const sockets = new WebSocketServer({ server: http, path: SOCKET_PATH, maxPayload: MAX_BODY });
  sockets.on("connection", (socket) => {
    send(socket, session.current());
    const unsubscribe = session.subscribe((message) => send(socket, message));
    socket.on("close", unsubscribe);
    socket.on("error", (error) => logger.debug(`screen socket error: ${error.message}`));
    socket.on("message", (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch {
        parsed = undefined;
      }
      const message = browserMessageSchema.safeParse(parsed);
      if (!message.success) {
        send(socket, {
          type: "error",
          code: ErrorCodes.UI_MESSAGE_INVALID,
          message: "The screen sent a message the kiosk does not understand; nothing changed.",
        });
        return;
      }
      try {
        session.touch(message.data);
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
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}/`;
  return {
    url,
    port,
    close: async () => {
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
