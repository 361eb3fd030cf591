import { z } from "zod";

/** Limits on a free-form JSON value: how deep, how many values, how wide and how long. */
export interface JsonBounds {
  /** Levels of arrays and objects inside the value (the value itself is level 1). */
  readonly maxDepth: number;
  /** Values in all, containers and leaves alike. */
  readonly maxNodes: number;
  /** Elements of one array, or keys of one object. */
  readonly maxEntries: number;
  /** Characters of one string or key. */
  readonly maxStringLength: number;
}

/** The first limit `value` goes past, found without recursion (the value may be hostile); null when within. */
export function exceedsBounds(value: unknown, bounds: JsonBounds): string | null {
  const stack: [unknown, number][] = [[value, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    nodes += 1;
    if (nodes > bounds.maxNodes) return `more than ${bounds.maxNodes} values`;
    if (typeof current === "string") {
      if (current.length > bounds.maxStringLength)
        return `a string longer than ${bounds.maxStringLength} characters`;
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (depth > bounds.maxDepth) return `nested deeper than ${bounds.maxDepth} levels`;
    const entries = Array.isArray(current) ? current : Object.keys(current);
    if (entries.length > bounds.maxEntries) return `more than ${bounds.maxEntries} entries in one place`;
    if (Array.isArray(current)) {
      for (const item of current) stack.push([item, depth + 1]);
    } else {
      for (const [key, item] of Object.entries(current)) {
        if (key.length > bounds.maxStringLength)
          return `a key longer than ${bounds.maxStringLength} characters`;
        stack.push([item, depth + 1]);
      }
    }
  }
  return null;
}

/**
 * A JSON value within `bounds`. The bounds are checked first, without recursion, so zod's own JSON
 * check (which recurses) only ever sees a value of bounded depth.
 */
export function boundedJson(bounds: JsonBounds) {
  return z
    .unknown()
    .superRefine((value, context) => {
      const problem = exceedsBounds(value, bounds);
      if (problem) context.addIssue({ code: "custom", message: problem, abort: true });
    })
    .pipe(z.json());
}

/**
 * An object of at most `maxKeys` keys (each a string of at most `maxKeyLength`) mapping to `value`.
 * The keys are counted before any value is read, so a message of 100,000 keys costs one count.
 */
export function boundedRecord<V extends z.ZodType>(maxKeys: number, maxKeyLength: number, value: V) {
  return z
    .unknown()
    .superRefine((input, context) => {
      if (typeof input === "object" && input !== null && Object.keys(input).length > maxKeys)
        context.addIssue({ code: "custom", message: `more than ${maxKeys} keys`, abort: true });
    })
    .pipe(z.record(z.string().max(maxKeyLength), value));
}
