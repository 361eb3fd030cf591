import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { hashPin } from "../../checkout/staff/pin-hash.js";
import type { Output } from "../output.js";

async function readFirstLine(input: Readable): Promise<string> {
  const lines = createInterface({ input, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line.trim();
  }
  return "";
}

/**
 * `staff hash-pin`: reads a PIN from standard input (never from the command line, where it would
 * land in shell history and `ps`) and prints the hash to put in the staff list.
 */
export async function hashPinCommand(input: Readable & { isTTY?: boolean }, output: Output): Promise<number> {
  if (input.isTTY) output.err("Type the PIN (4–8 digits) and press Enter:");
  const pin = await readFirstLine(input);
  output.out(await hashPin(pin));
  return 0;
}
