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
  return wrap(root, "kiosk");
}

function wrap(instance: pino.Logger, namespace: string): Logger {
  const log =
    (level: "error" | "warn" | "info" | "debug") =>
    (message: string | (() => string), fields?: LogFields): void => {
      if (!instance.isLevelEnabled(level)) return;
      const text = typeof message === "function" ? message() : message;
      instance[level]({ ns: namespace, ...fields }, text);
    };
  return {
    error: log("error"),
    warn: log("warn"),
    info: log("info"),
    debug: log("debug"),
    child: (name) => wrap(instance, `${namespace}:${name}`),
    setLevel: (level) => {
      instance.level = level;
    },
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
    };
  };
  return Object.assign(make("kiosk"), { lines });
}
