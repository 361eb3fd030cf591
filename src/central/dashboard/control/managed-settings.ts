import { z } from "zod";
import { kioskConfigSchema } from "../../../config/schema.js";
import { describeIssues } from "../../../core/zod-issues.js";
import { MANAGED_SETTINGS } from "../../../remote/desired-config.js";

/** Whether central may set this path: a managed section, or a path inside one (the kiosk's rule). */
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
 * variant that has the key.
 */
export function settingSchemaAt(path: string): z.ZodType | null {
  let schema: z.ZodType = kioskConfigSchema;
  for (const key of path.split(".")) {
    let node = inner(schema);
    if (node instanceof z.ZodUnion) {
      const variant = (node.options as z.ZodType[])
        .map(inner)
        .find((option) => option instanceof z.ZodObject && key in option.shape);
      if (!variant) return null;
      node = variant;
    }
    if (!(node instanceof z.ZodObject) || !Object.hasOwn(node.shape, key)) return null;
    schema = node.shape[key] as z.ZodType;
  }
  return schema;
}

/**
 * Every problem with a desired configuration's settings, as `path: message` lines: a path central may
 * not set, a path the configuration does not have, or a value its schema refuses. Rules that span
 * settings and the kiosk's own file (e.g. minPartialMinor ≤ maxAmountMinor, card methods and the
 * processor) are the kiosk's: it checks the whole result, refuses, and reports the problems.
 */
export function managedSettingsProblems(settings: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [path, value] of Object.entries(settings)) {
    if (!isManagedPath(path)) {
      problems.push(`${path}: not a setting central may change`);
      continue;
    }
    const schema = settingSchemaAt(path);
    if (!schema) {
      problems.push(`${path}: not a setting of the kiosk's configuration`);
      continue;
    }
    const result = schema.safeParse(value);
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

/** The managed paths, for the editor's hint. */
export const MANAGED_PATHS: readonly string[] = MANAGED_SETTINGS;
