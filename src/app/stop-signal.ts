/**
 * Resolves on SIGINT or SIGTERM. Signal listeners alone do not keep Node running, so a timer does.
 * `cancel` lets go of both without a signal (a start that failed must not leave the process running).
 */
export function untilStopSignal(cancel?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 1 << 30);
    const release = (): void => {
      clearInterval(keepAlive);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    };
    const stop = (): void => {
      release();
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    cancel?.addEventListener("abort", release, { once: true });
  });
}
