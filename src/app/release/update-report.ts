import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../core/logger.js";
import type { CommandResult } from "../../sync/protocol/messages.js";
import type { UpdateResult } from "./apply-release.js";

/**
 * After an update (or its rollback) the kiosk that starts tells central how the update command
 * ended: "completed" when the new release runs, "failed" with RELEASE_NOT_HEALTHY when it was rolled
 * back. The result file is renamed once central has it, so it is reported once.
 */
export function reportUpdateResult(
  dataDir: string,
  report: (result: CommandResult) => boolean,
  logger: Logger,
): "none" | "not-sent" | "reported" {
  const file = join(dataDir, "updates", "result.json");
  if (!existsSync(file)) return "none";
  let result: UpdateResult;
  try {
    result = JSON.parse(readFileSync(file, "utf8")) as UpdateResult;
  } catch {
    return "none";
  }
  if (!result.commandId) return "none";
  const code = /^\[([A-Z_]+)\]/.exec(result.reason ?? "")?.[1] ?? null;
  const sent = report({
    commandId: result.commandId,
    outcome: result.state === "rolled-back" ? "failed" : "completed",
    code,
    detail: result.reason ? result.reason.slice(0, 500) : null,
    data: {
      state: result.state,
      version: result.version,
      from: result.from,
      databaseRestored: result.databaseRestored,
    },
    at: result.at,
  });
  if (!sent) return "not-sent";
  renameSync(file, join(dataDir, "updates", `result-${result.commandId}.reported.json`));
  logger.info(`update ${result.version}: ${result.state}, reported to central`, {
    commandId: result.commandId,
  });
  return "reported";
}
