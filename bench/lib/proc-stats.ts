import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

export interface ProcSample {
  readonly at: number;
  /** CPU seconds used so far (user + system). */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** Of the RSS: anonymous memory (heaps, stacks) and file-backed pages (node's binary, libraries). */
  readonly rssAnonBytes: number;
  readonly rssFileBytes: number;
}

/** CPU time and resident memory of a process, from /proc (Linux). */
export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string): number =>
    1024 * Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return {
    at: performance.now(),
    cpuSeconds: (utime + stime) / TICKS_PER_SECOND,
    rssBytes: kb("VmRSS"),
    rssAnonBytes: kb("RssAnon"),
    rssFileBytes: kb("RssFile"),
  };
}

/** Average CPU use between two samples, in percent of one core. */
export function cpuPercent(from: ProcSample, to: ProcSample): number {
  return (100 * (to.cpuSeconds - from.cpuSeconds)) / ((to.at - from.at) / 1000);
}

/** The mappings holding the most resident memory (BENCH_DEBUG output): "KB name" lines, largest first. */
export function largestMappings(pid: number, count = 8): string[] {
  const byName = new Map<string, number>();
  let name = "[anon]";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) name = mapping[1] || "[anon]";
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) byName.set(name, (byName.get(name) ?? 0) + Number(rss[1]));
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([mapping, kb]) => `${String(kb).padStart(8)} KB ${mapping}`);
}
