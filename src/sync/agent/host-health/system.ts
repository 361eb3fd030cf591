import { readFile } from "node:fs/promises";
import type { NetworkInterfaceInfo } from "node:os";
import { join } from "node:path";
import type { HostHealth } from "../../protocol/host-health.js";
import { readLine } from "./thermal.js";

const MAX_TEXT = 120;
const MAX_ADDRESSES = 16;
const INTERFACE_NAME = /^[A-Za-z0-9_.:@-]{1,32}$/;

const clip = (text: string | null): string | null =>
  text === null || text === "" ? null : text.slice(0, MAX_TEXT);

/** MemTotal and MemAvailable of /proc/meminfo, in bytes; null unless both are there. */
export async function readMemory(root: string): Promise<HostHealth["memory"]> {
  let text: string;
  try {
    text = await readFile(join(root, "proc/meminfo"), "utf8");
  } catch {
    return null;
  }
  const kib = (name: string): number | null => {
    const match = new RegExp(`^${name}:\\s+(\\d{1,15}) kB$`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : null;
  };
  const totalBytes = kib("MemTotal");
  const availableBytes = kib("MemAvailable");
  if (totalBytes === null || availableBytes === null) return null;
  if (!Number.isSafeInteger(totalBytes) || availableBytes > totalBytes) return null;
  return { totalBytes, availableBytes };
}

/** PRETTY_NAME of /etc/os-release, unquoted. */
export async function readOsName(root: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(join(root, "etc/os-release"), "utf8");
  } catch {
    return null;
  }
  const match = /^PRETTY_NAME=(?:"([^"\n]*)"|'([^'\n]*)'|([^\n]*))$/m.exec(text);
  return clip((match?.[1] ?? match?.[2] ?? match?.[3] ?? "").trim() || null);
}

export const readKernel = async (root: string): Promise<string | null> =>
  clip(await readLine(join(root, "proc/sys/kernel/osrelease")));

/** The board's name from the device tree (a Pi has one; a PC does not). */
export const readModel = async (root: string): Promise<string | null> =>
  clip(await readLine(join(root, "proc/device-tree/model")));

/** Every address on an interface that is not loopback, IPv4 first, at most 16. */
export function hostAddresses(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): { interface: string; address: string }[] {
  const found: { interface: string; address: string; family: string }[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    if (!INTERFACE_NAME.test(name)) continue;
    for (const info of infos ?? []) {
      if (info.internal) continue;
      // Link-local IPv6 needs its zone to be reached, and says nothing an operator can use.
      if (info.family === "IPv6" && /^fe80:/i.test(info.address)) continue;
      found.push({ interface: name, address: info.address, family: info.family });
    }
  }
  found.sort((a, b) => (a.family === b.family ? 0 : a.family === "IPv4" ? -1 : 1));
  return found.slice(0, MAX_ADDRESSES).map(({ interface: name, address }) => ({ interface: name, address }));
}
