import { loadConfig } from "../../config/load.js";
import { isKioskError } from "../../core/kiosk-error.js";
import type { Output } from "../output.js";

/** `config check`: exit 0 when valid, 1 with every problem listed when not. */
export function configCheck(file: string | undefined, env: NodeJS.ProcessEnv, output: Output): number {
  try {
    const { config, path } = loadConfig({ file, env });
    output.out(
      `${path}: valid (device ${config.deviceId}, ${config.paymentMethods.length} payment methods, ${config.staff.length} staff)`,
    );
    return 0;
  } catch (error) {
    if (!isKioskError(error)) throw error;
    output.err(error.message);
    return 1;
  }
}
