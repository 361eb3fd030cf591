import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { IntegrationApiDeps } from "./api-deps.js";
import { sendError, sendFailure, sendJson } from "./api-errors.js";
import { type ApiRoutes, integrationRoutes } from "./api-routes.js";
import { integrationFor } from "./tokens.js";

export interface RunningIntegrationApi {
  /** Where it listens (the port chosen when configured 0). */
  readonly url: string;
  close(): Promise<void>;
}

/** Reads a JSON request body, refusing more than `max` bytes before it has all arrived. */
function readBody(request: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"] ?? "0");
    if (declared > max) {
      reject(tooLarge(max));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(tooLarge(max));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

const tooLarge = (max: number): KioskError =>
  new KioskError(
    ErrorCodes.CENTRAL_IMPORT_TOO_LARGE,
    `The request body is larger than ${max} bytes; nothing was changed.`,
  );

function bearer(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (typeof header !== "string" || header.length > 200) return null;
  const match = /^Bearer ([^\s]+)$/.exec(header);
  return match?.[1] ?? null;
}

/**
 * Central's integration API on its own port: every request carries an integration's bearer token
 * (nothing else opens it, and the token opens nothing else), bodies are bounded and checked whole
 * before anything is written, and every refusal is a coded JSON error that changed nothing.
 */
export async function startIntegrationApi(deps: IntegrationApiDeps): Promise<RunningIntegrationApi> {
  const routes = integrationRoutes(deps);
  const server = createServer((request, response) => {
    handle(request, response, deps, routes).catch((error: unknown) => {
      deps.logger.error(`integration API request failed: ${(error as Error).message}`);
      if (!response.headersSent) sendFailure(response, error);
      else response.destroy();
    });
  });
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  server.maxHeadersCount = 50;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new KioskError(
          ErrorCodes.DASHBOARD_START_FAILED,
          `The integration API cannot listen on ${deps.config.host}:${deps.config.port} (${error.code ?? error.message}).`,
        ),
      ),
    );
    server.listen(deps.config.port, deps.config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${deps.config.host}:${port}`;
  deps.logger.info(`integration API listening on ${url}`);
  return { url, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  deps: IntegrationApiDeps,
  routes: ApiRoutes,
): Promise<void> {
  const token = bearer(request);
  const integration = token ? await integrationFor(deps.db, token, deps.clock.now().toISOString()) : null;
  if (!integration) {
    sendError(
      response,
      ErrorCodes.INTEGRATION_UNAUTHORIZED,
      `[${ErrorCodes.INTEGRATION_UNAUTHORIZED}] A valid integration token is required (Authorization: Bearer …); see docs/integration.md.`,
    );
    request.resume();
    return;
  }
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  const route = routes.find(request.method ?? "GET", path);
  if (route.kind === "none") {
    sendError(
      response,
      ErrorCodes.INTEGRATION_NOT_FOUND,
      `[${ErrorCodes.INTEGRATION_NOT_FOUND}] No ${request.method ?? ""} ${path.slice(0, 100)} here; see docs/integration.md.`,
      route.status,
    );
    request.resume();
    return;
  }
  let body: unknown = null;
  if (request.method === "POST") {
    const type = String(request.headers["content-type"] ?? "");
    if (!/^application\/json\b/i.test(type)) {
      sendError(
        response,
        ErrorCodes.INTEGRATION_REQUEST_INVALID,
        `[${ErrorCodes.INTEGRATION_REQUEST_INVALID}] Send JSON (Content-Type: application/json).`,
        415,
      );
      request.resume();
      return;
    }
    body = await readBody(request, deps.config.maxBodyBytes).catch((error: unknown) => {
      sendFailure(response, error);
      return undefined;
    });
    if (body === undefined) return;
  }
  try {
    const answer = await route.run({ integration, body: body as string | null, params: route.params });
    sendJson(response, answer.status, answer.body);
  } catch (error) {
    sendFailure(response, error);
  }
}
