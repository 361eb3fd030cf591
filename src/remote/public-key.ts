import type { KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Logger } from "../core/logger.js";
import { commandPublicKey } from "../sync/protocol/command-signature.js";
import type { RemoteConfig } from "./config.js";

/**
 * Central's command key as the configuration gives it: inline, or in a file read when a command
 * arrives. Null (every command refused with REMOTE_NO_PUBLIC_KEY) when there is none or it is unusable.
 */
export function centralPublicKey(config: RemoteConfig, logger: Logger): KeyObject | null {
  let pem = config.commandPublicKey;
  if (pem === null && config.commandPublicKeyFile !== null) {
    try {
      pem = readFileSync(config.commandPublicKeyFile, "utf8");
    } catch (error) {
      logger.warn(
        `cannot read remote.commandPublicKeyFile: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`,
      );
      return null;
    }
  }
  if (pem === null) return null;
  try {
    return commandPublicKey(pem);
  } catch {
    logger.warn("remote command public key is not a PEM public key");
    return null;
  }
}
