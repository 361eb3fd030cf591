/** Resolves on SIGINT or SIGTERM. Signal listeners alone do not keep Node running, so a timer does. */
export function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 1 << 30);
    const stop = (): void => {
      clearInterval(keepAlive);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
