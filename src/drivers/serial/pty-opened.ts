import { readdirSync, readlinkSync, realpathSync } from "node:fs";

/**
 * Whether any process other than `ignorePids` holds the pty behind `link` open, read from
 * /proc/<pid>/fd (Linux). The reader emulator waits for this before playing: bytes written before
 * the kiosk opens its end are discarded when serialport opens the port, as with a real reader.
 */
export function ptyHeldOpen(link: string, ignorePids: readonly number[] = []): boolean {
  let target: string;
  try {
    target = realpathSync(link);
  } catch {
    return false;
  }
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    if (ignorePids.includes(Number(pid))) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return true;
      } catch {
        // The fd closed while we looked.
      }
    }
  }
  return false;
}
