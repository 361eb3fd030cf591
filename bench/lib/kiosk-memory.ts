import { readFileSync, readlinkSync } from "node:fs";

/**
 * What to add to the kiosk process's proportional set size for it to be as on the kiosk, where it
 * is the only Node process: PSS splits the pages of Node's executable (or of libnode, where Node is
 * built on it) among every process on the machine that maps them, and this machine runs a dozen
 * other Node processes (the bench itself, other people's tests), which made the kiosk look ~40 MB
 * smaller than it is on a Pi. So the pages of the executable the
 * kiosk has mapped count in full: this is their RSS less their PSS (0 once the process is gone).
 * Everything else (the C library and the like, shared on the Pi too) stays as PSS.
 */
export function executableSharedBytes(pid: number): number {
  let shared = 0;
  try {
    const executable = readlinkSync(`/proc/${pid}/exe`);
    let inExecutable = false;
    let rss = 0;
    for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
      const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (mapping) {
        // Debian's node (on the Pi's Raspberry Pi OS) keeps V8 and Node in libnode.so.
        inExecutable = mapping[1] === executable || /\/libnode\.so/.test(mapping[1] ?? "");
        continue;
      }
      const field = /^(Rss|Pss):\s+(\d+) kB/.exec(line);
      if (!field || !inExecutable) continue;
      if (field[1] === "Rss") rss = 1024 * Number(field[2]);
      else shared += rss - 1024 * Number(field[2]);
    }
  } catch {
    return 0;
  }
  return shared;
}
