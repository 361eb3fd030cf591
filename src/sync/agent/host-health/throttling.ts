import { execFile } from "node:child_process";
import { join } from "node:path";
import { MAX_THROTTLE_WORD } from "../../protocol/host-health.js";
import { readLine } from "./thermal.js";

/** Runs `vcgencmd get_throttled` and gives its output, or null when it is not there or fails. */
export type VcgencmdRunner = () => Promise<string | null>;

export const runVcgencmd: VcgencmdRunner = () =>
  new Promise((resolve) => {
    execFile("vcgencmd", ["get_throttled"], { timeout: 2000, maxBuffer: 4096 }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });

/** The firmware driver's copy of the word, in hexadecimal (Raspberry Pi OS kernels). */
const SYSFS_THROTTLED = "sys/devices/platform/soc/soc:firmware/get_throttled";

function word(text: string, radix: 16 | 10): number | null {
  const value = Number.parseInt(text, radix);
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_THROTTLE_WORD ? value : null;
}

/** `throttled=0x50005` → 0x50005; anything else → null. */
export function parseVcgencmdThrottled(output: string): number | null {
  const match = /^throttled=(?:0x([0-9a-f]{1,8})|(\d{1,10}))$/i.exec(output.trim());
  if (!match) return null;
  return match[1] !== undefined ? word(match[1], 16) : word(match[2] ?? "", 10);
}

/**
 * The throttling word: from sysfs where the firmware driver offers it (readable without the video
 * group), else from `vcgencmd get_throttled`; null on a machine that has neither (not a Pi).
 */
export async function readThrottled(root: string, vcgencmd: VcgencmdRunner): Promise<number | null> {
  const sysfs = await readLine(join(root, SYSFS_THROTTLED));
  if (sysfs !== null && /^(0x)?[0-9a-f]{1,8}$/i.test(sysfs)) return word(sysfs.replace(/^0x/i, ""), 16);
  const output = await vcgencmd();
  return output === null ? null : parseVcgencmdThrottled(output);
}
