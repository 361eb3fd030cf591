import pino from "pino";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace";
export type LogFields = Record<string, unknown>;

/**
 * The logging interface every part receives (never imports): namespaced with `child`, and lazy —
 * pass a function when building the message costs something, it runs only if the level is on.
 */
export interface Logger {
  error(message: string | (() => string), fields?: LogFields): void;
  warn(message: string | (() => string), fields?: LogFields): void;
  info(message: string | (() => string), fields?: LogFields): void;
  debug(message: string | (() => string), fields?: LogFields): void;
  child(namespace: string): Logger;
  setLevel(level: LogLevel): void;
  /** The last warnings and errors, newest last, for remote diagnostics. */
  recentProblems(): string[];
}

const RECENT_PROBLEMS = 20;

/** Keeps the last warnings and errors, shared by a logger and its children. */
function problemRing(): { add(level: string, namespace: string, text: string): void; list(): string[] } {
  const lines: string[] = [];
  return {
    add: (level, namespace, text) => {
      lines.push(`${new Date().toISOString()} ${level} ${namespace}: ${text.slice(0, 300)}`);
      if (lines.length > RECENT_PROBLEMS) lines.shift();
    },
    list: () => [...lines],
  };
}

/** Field names that could ever carry card data; pino replaces their values before anything is written. */
const REDACTED_PATHS = [
  "pan",
  "*.pan",
  "cardNumber",
  "*.cardNumber",
  "track",
  "*.track",
  "tracks",
  "*.tracks",
  "track1",
  "*.track1",
  "track2",
  "*.track2",
  "cvv",
  "*.cvv",
  "pin",
  "*.pin",
  "raw",
  "*.raw",
];

export interface LoggerOptions {
  level: LogLevel;
  /** A file descriptor or path; stdout when absent. */
  destination?: string | number;
}

export function createLogger(options: LoggerOptions): Logger {
  const root = pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ dest: options.destination ?? 1, sync: true }),
  );
  return wrap(root, "kiosk", problemRing());
}

function wrap(instance: pino.Logger, namespace: string, problems: ReturnType<typeof problemRing>): Logger {
  const log =
    (level: "error" | "warn" | "info" | "debug") =>
    (message: string | (() => string), fields?: LogFields): void => {
      const wanted = level === "error" || level === "warn";
      if (!wanted && !instance.isLevelEnabled(level)) return;
      const text = typeof message === "function" ? message() : message;
      if (wanted) problems.add(level, namespace, text);
      if (instance.isLevelEnabled(level)) instance[level]({ ns: namespace, ...fields }, text);
    };
  return {
    error: log("error"),
    warn: log("warn"),
    info: log("info"),
    debug: log("debug"),
    child: (name) => wrap(instance, `${namespace}:${name}`, problems),
    setLevel: (level) => {
      instance.level = level;
    },
    recentProblems: () => problems.list(),
  };
}

/** A logger that keeps lines in memory: for tests that assert what was (or was not) logged. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const make = (namespace: string): Logger => {
    const log =
      (level: string) =>
      (message: string | (() => string), fields?: LogFields): void => {
        const text = typeof message === "function" ? message() : message;
        lines.push(JSON.stringify({ level, ns: namespace, msg: text, ...fields }));
      };
    return {
      error: log("error"),
      warn: log("warn"),
      info: log("info"),
      debug: log("debug"),
      child: (name) => make(`${namespace}:${name}`),
      setLevel: () => {},
      recentProblems: () => lines.filter((line) => /"level":"(error|warn)"/.test(line)),
    };
  };
  return Object.assign(make("kiosk"), { lines });
}
