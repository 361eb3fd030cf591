import Stripe from "stripe";

/**
 * An HTTP client of the SDK's own interface that sends a request, lets Stripe carry it out and read
 * its whole answer, then reports a timeout instead: the answer lost after the processor acted, as a
 * cut network or a crash would lose it. Works against the simulator and against Stripe alike.
 */
export function answerLosingClient(loses: (method: string, path: string) => boolean): Stripe.HttpClient {
  const real = Stripe.createNodeHttpClient();
  return {
    getClientName: () => "answer-losing",
    async makeRequest(host, port, path, method, headers, requestData, protocol, timeout) {
      const response = await real.makeRequest(
        host,
        port,
        path,
        method,
        headers,
        requestData,
        protocol,
        timeout,
      );
      if (!loses(method, path)) return response;
      await response.toJSON();
      throw Stripe.HttpClient.makeTimeoutError();
    },
  };
}
