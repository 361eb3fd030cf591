import { readFileSync } from "node:fs";

/** Where the device tree names the board: "Raspberry Pi 4 Model B Rev 1.4", NUL-terminated. */
export const BOARD_MODEL_PATH = "/proc/device-tree/model";

/** The board's model from the device tree, or null on a machine without one (a PC, a container). */
export function readBoardModel(path: string = BOARD_MODEL_PATH): string | null {
  try {
    const model = readFileSync(path, "utf8").replaceAll("\0", "").trim();
    return model.length > 0 ? model : null;
  } catch {
    return null;
  }
}

export function isRaspberryPi(model: string | null): boolean {
  return model?.startsWith("Raspberry Pi") ?? false;
}
