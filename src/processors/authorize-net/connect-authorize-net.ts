import type { Logger } from "../../core/logger.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import { AuthorizeNetApi } from "./api-client.js";
import { httpsTransport } from "./api-transport.js";
import { authorizeNetProcessor } from "./authorize-net-processor.js";

/** Where Authorize.Net is and how the kiosk talks to it. */
export interface AuthorizeNetConnection {
  /** https://api2.authorize.net/xml/v1/request.api (production) or https://apitest.authorize.net/… (sandbox). */
  readonly endpoint: string;
  /** https://accept.authorize.net/customer/addPayment, or https://test.authorize.net/… for the sandbox. */
  readonly hostedFormUrl: string;
  readonly apiLoginId: string;
  readonly transactionKey: string;
  /** A certificate to trust besides the system's: only the simulator's. */
  readonly ca?: string | null;
  readonly timeoutMs: number;
  readonly deviceType: number;
  readonly duplicateWindowSeconds: number;
  readonly currency: string;
  readonly settledLookupDays?: number;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** The Authorize.Net processor over node:https, as the kiosk runs it. */
export async function connectAuthorizeNet(connection: AuthorizeNetConnection): Promise<CardProcessor> {
  const transport = await httpsTransport({
    endpoint: connection.endpoint,
    timeoutMs: connection.timeoutMs,
    ca: connection.ca ?? null,
  });
  const api = new AuthorizeNetApi(
    transport,
    { apiLoginId: connection.apiLoginId, transactionKey: connection.transactionKey },
    connection.logger,
  );
  return authorizeNetProcessor({
    api,
    currency: connection.currency,
    deviceType: connection.deviceType,
    duplicateWindowSeconds: connection.duplicateWindowSeconds,
    hostedFormUrl: connection.hostedFormUrl,
    settledLookupDays: connection.settledLookupDays ?? 31,
    logger: connection.logger,
    ...(connection.now ? { now: connection.now } : {}),
  });
}
