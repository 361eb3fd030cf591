import { z } from "zod";
import { kioskConfigSchema } from "../config/schema.js";
import { describeIssues } from "../core/zod-issues.js";

/**
 * The settings central may set remotely, by dotted path (a whole section, or a path inside one, like
 * "limits.maxAmountMinor"). Device identity, hardware, broker,
 * processor credentials and data locations stay in the kiosk's own file.
 */
export const MANAGED_SETTINGS = [
  "studio.name",
  "studio.locales",
  "paymentMethods",
  "limits",
  "staff",
  "ui.idleTimeoutSeconds",
  "ui.signIn",
  "log.level",
  "processor.offline",
  "processor.collection",
  "sync.telemetryIntervalSeconds",
] as const;

/** The managed paths, for the editor's hint. */
export const MANAGED_PATHS: readonly string[] = MANAGED_SETTINGS;

/**
 * Keys that reach an object's prototype machinery when walked or assigned: never a configuration
 * key, at any depth, in a path or in a value.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Whether central may set this path: a managed section, or a path inside one. */
export function isManagedPath(path: string): boolean {
  return MANAGED_SETTINGS.some((allowed) => path === allowed || path.startsWith(`${allowed}.`));
}

/** Looks through defaults, optionals and pipes to the schema that says what a value must be. */
function inner(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

/**
 * The kiosk configuration schema's part at a dotted path ("limits.maxAmountMinor"), or null when the
 * configuration has no such path. A union (the processor: manual or gateway) is searched for the
 * variant that has the key. Only a shape's own keys count: "constructor" is no setting.
 */
export function settingSchemaAt(path: string): z.ZodType | null {
  let schema: z.ZodType = kioskConfigSchema;
  for (const key of path.split(".")) {
    let node = inner(schema);
    if (node instanceof z.ZodUnion) {
      const variant = (node.options as z.ZodType[])
        .map(inner)
        .find((option) => option instanceof z.ZodObject && Object.hasOwn(option.shape, key));
      if (!variant) return null;
      node = variant;
    }
    if (!(node instanceof z.ZodObject) || !Object.hasOwn(node.shape, key)) return null;
    schema = node.shape[key] as z.ZodType;
  }
  return schema;
}

/**
 * What is wrong with a path before anything walks it, or null: a forbidden or empty key, a path
 * central may not set, or one the configuration does not have.
 */
export function settingPathProblem(path: string): string | null {
  const keys = path.split(".");
  const forbidden = keys.find((key) => FORBIDDEN_KEYS.has(key));
  if (forbidden !== undefined) return `${path}: "${forbidden}" is not a configuration key`;
  if (keys.some((key) => key === "")) return `${path}: not a setting of the kiosk's configuration`;
  if (!isManagedPath(path)) return `${path}: not a setting central may change`;
  if (!settingSchemaAt(path)) return `${path}: not a setting of the kiosk's configuration`;
  return null;
}

/**
 * The first forbidden key anywhere inside a JSON value, or null. Walked with a stack, not recursion,
 * so a deeply nested value cannot exhaust the call stack.
 */
export function forbiddenKeyIn(value: unknown): string | null {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      pending.push((node as Record<string, unknown>)[key]);
    }
  }
  return null;
}

/**
 * What is wrong with one setting's path, or a key inside its value, or null: what both ends check
 * before anything walks the path or copies the value.
 */
export function settingShapeProblem(path: string, value: unknown): string | null {
  const problem = settingPathProblem(path);
  if (problem !== null) return problem;
  const forbidden = forbiddenKeyIn(value);
  return forbidden === null ? null : `${path}: "${forbidden}" is not a configuration key`;
}

/**
 * Every problem with a desired configuration's settings, as `path: message` lines: a forbidden key,
 * a path central may not set, a path the configuration does not have, or a value its schema
 * refuses. Rules that span settings and the kiosk's own file (e.g. minPartialMinor ≤
 * maxAmountMinor, card methods and the processor) are the kiosk's: it checks the whole result,
 * refuses, and reports the problems.
 */
export function managedSettingsProblems(settings: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [path, value] of Object.entries(settings)) {
    const shape = settingShapeProblem(path, value);
    if (shape !== null) {
      problems.push(shape);
      continue;
    }
    const result = (settingSchemaAt(path) as z.ZodType).safeParse(value);
    if (!result.success) {
      problems.push(
        ...describeIssues(result.error.issues).map((line) =>
          line.startsWith("(top level)") ? `${path}${line.slice(11)}` : `${path}.${line}`,
        ),
      );
    }
  }
  return problems;
}

/** What central checks a desired configuration with before it pushes it (handed to central by the app). */
export const managedSettingsCheck = {
  paths: MANAGED_PATHS,
  problems: managedSettingsProblems,
} as const;
