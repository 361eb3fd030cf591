import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** A file's first line, or null when it cannot be read (absent on this machine, or no permission). */
export async function readLine(path: string): Promise<string | null> {
  try {
    const text = await readFile(path, "utf8");
    return text.split("\n")[0]?.replace(/\0+$/, "").trim() ?? null;
  } catch {
    return null;
  }
}

const ZONE = /^thermal_zone\d+$/;

/**
 * The CPU's temperature from Linux's thermal zones (`/sys/class/thermal/thermal_zoneN/temp`, in
 * thousandths of a degree): the zone whose type names the CPU (a Pi's is `cpu-thermal`), else the
 * first zone. Null when there is no zone or its reading is not a temperature.
 */
export async function readCpuTemperature(root: string): Promise<number | null> {
  const dir = join(root, "sys/class/thermal");
  let zones: string[];
  try {
    zones = (await readdir(dir)).filter((name) => ZONE.test(name));
  } catch {
    return null;
  }
  zones.sort((a, b) => Number(a.slice(12)) - Number(b.slice(12)));
  const types = await Promise.all(zones.map((zone) => readLine(join(dir, zone, "type"))));
  const cpu = zones.find((_, index) => /cpu|soc|x86_pkg_temp/i.test(types[index] ?? ""));
  const zone = cpu ?? zones[0];
  if (zone === undefined) return null;
  const raw = await readLine(join(dir, zone, "temp"));
  if (raw === null || !/^-?\d{1,7}$/.test(raw)) return null;
  const celsius = Math.round(Number(raw) / 100) / 10;
  return celsius >= -60 && celsius <= 200 ? celsius : null;
}
