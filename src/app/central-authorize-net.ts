import { readFileSync } from "node:fs";
import type { AuthorizeNetConnector } from "../central/card-operations/authorize-net-side.js";
import { connectAuthorizeNet } from "../processors/authorize-net/connect-authorize-net.js";
import { AUTHORIZE_NET_ENDPOINTS } from "../processors/authorize-net-connection.js";

/**
 * Central's Authorize.Net processor, for the refunds above a kiosk's limit: the same processor a
 * kiosk runs, with the transaction key central holds. Its hosted form and duplicate window are
 * unused by refunds; the window stays Authorize.Net's largest, as on the kiosks.
 */
export const connectCentralAuthorizeNet: AuthorizeNetConnector = (config, transactionKey, logger) =>
  connectAuthorizeNet({
    endpoint: config.endpoint ?? AUTHORIZE_NET_ENDPOINTS[config.environment].endpoint,
    hostedFormUrl: AUTHORIZE_NET_ENDPOINTS[config.environment].hostedFormUrl,
    apiLoginId: config.apiLoginId,
    transactionKey,
    ca: config.caFile ? readFileSync(config.caFile, "utf8") : null,
    timeoutMs: config.timeoutMs,
    deviceType: 3,
    duplicateWindowSeconds: 28_800,
    currency: config.currency,
    logger,
  });
