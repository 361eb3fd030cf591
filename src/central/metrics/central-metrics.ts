import type { IncomingMessage, ServerResponse } from "node:http";
import { collectDefaultMetrics, Registry } from "prom-client";
import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import type { MetricsConfig } from "../config.js";
import type { Sql } from "../db/central-db.js";
import { withTimeLimit } from "../time-limit.js";
import { FleetMetrics } from "./fleet-metrics.js";
import { IngestMetrics } from "./ingest-metrics.js";
import { bearerMatches, readMetricsToken } from "./metrics-token.js";

/** A scrape waits this long for the database at most; Prometheus's own default timeout is 10 s. */
const SCRAPE_DB_MS = 5000;

/**
 * Central's metrics for Prometheus: the fleet (from the database, at each scrape), this process's
 * ingest (counted as it commits) and the process itself (prom-client's default metrics). Served at
 * `/metrics` on the dashboard's address, to a scrape that sends the configured bearer token.
 */
export class CentralMetrics {
  readonly registry = new Registry();
  readonly ingest: IngestMetrics;
  readonly #fleet: FleetMetrics;
  readonly #token: string | null;

  constructor(
    config: MetricsConfig,
    private readonly logger: Logger,
  ) {
    // Read at start: a token file that cannot be used stops central with SECRET_FILE_INVALID.
    this.#token = config.tokenFile === null ? null : readMetricsToken(config.tokenFile);
    collectDefaultMetrics({ register: this.registry, prefix: "spectra_central_" });
    this.ingest = new IngestMetrics(this.registry);
    this.#fleet = new FleetMetrics(this.registry, config.maxKiosks);
  }

  /** Answers a request for `/metrics`: 404 unless configured, 401 without the token, else the text format. */
  async serve(db: Sql, request: IncomingMessage, response: ServerResponse): Promise<void> {
    request.resume();
    const text = (status: number, body: string, headers: Record<string, string> = {}): void => {
      response.writeHead(status, {
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
        ...headers,
      });
      response.end(body);
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      text(405, "GET only\n", { Allow: "GET, HEAD" });
      return;
    }
    if (this.#token === null) {
      text(404, `[${ErrorCodes.METRICS_NOT_CONFIGURED}] Metrics are off: set central.metrics.tokenFile.\n`);
      return;
    }
    if (!bearerMatches(this.#token, request.headers.authorization)) {
      text(
        401,
        `[${ErrorCodes.METRICS_UNAUTHORIZED}] Send the metrics token: Authorization: Bearer <token>.\n`,
        {
          "WWW-Authenticate": 'Bearer realm="spectra-metrics"',
        },
      );
      return;
    }
    let body: string;
    try {
      await withTimeLimit(this.#fleet.update(db), SCRAPE_DB_MS, "reading the fleet for /metrics");
      body = await this.registry.metrics();
    } catch (error) {
      this.logger.warn(`[${ErrorCodes.METRICS_UNAVAILABLE}] /metrics failed: ${(error as Error).message}`, {
        code: ErrorCodes.METRICS_UNAVAILABLE,
      });
      text(503, `[${ErrorCodes.METRICS_UNAVAILABLE}] Central's database did not answer; try again.\n`);
      return;
    }
    response.writeHead(200, { "Content-Type": this.registry.contentType, "Cache-Control": "no-store" });
    response.end(request.method === "HEAD" ? undefined : body);
  }
}
