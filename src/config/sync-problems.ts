import type { CentralConfig } from "../central/config.js";
import type { SyncConfig } from "../sync/config.js";

/** Cross-section rules, run by the kiosk schema's refinement. */
export function syncProblems(config: {
  sync: SyncConfig;
  central: CentralConfig;
}): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  // Checked here when central runs in the kiosk process; `spectra-kiosk central` checks it on start.
  if (
    config.central.enabled &&
    config.central.broker.mode === "embedded" &&
    config.sync.broker.mode !== "embedded"
  ) {
    problems.push({
      path: ["central", "broker", "mode"],
      message: 'central can use the embedded broker only when sync.broker.mode is "embedded"',
    });
  }
  if (config.sync.reconnect.initialDelayMs > config.sync.reconnect.maxDelayMs) {
    problems.push({ path: ["sync", "reconnect", "initialDelayMs"], message: "is larger than maxDelayMs" });
  }
  return problems;
}
