import type { DesiredSettings } from "../control/config-pusher.js";

type Value = DesiredSettings[string];

const isObject = (value: unknown): value is Record<string, Value> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `value` written at `keys` inside a copy of `section` (levels made as needed, own keys only). */
function setInside(
  section: Record<string, Value>,
  keys: readonly string[],
  value: Value,
): Record<string, Value> {
  const [first, ...rest] = keys as [string, ...string[]];
  const copy: Record<string, Value> = Object.assign(Object.create(null) as object, section);
  const child = Object.hasOwn(section, first) ? section[first] : undefined;
  copy[first] = rest.length === 0 ? value : setInside(isObject(child) ? child : {}, rest, value);
  return copy;
}

/**
 * A kiosk's desired settings with a group's settings over them, path by path: a group path replaces
 * the same path and every path inside it; when the kiosk sets a whole section the group path lies
 * in, the value is written inside that section, so no two paths of the result overlap. Paths the
 * group does not name stay as the kiosk had them.
 */
export function mergeSettings(base: DesiredSettings, over: DesiredSettings): DesiredSettings {
  let merged: DesiredSettings = Object.assign(Object.create(null) as object, base);
  for (const [path, value] of Object.entries(over)) {
    for (const existing of Object.keys(merged)) {
      if (existing === path || existing.startsWith(`${path}.`)) delete merged[existing];
    }
    const parent = Object.keys(merged).find((existing) => path.startsWith(`${existing}.`));
    const section = parent === undefined ? undefined : merged[parent];
    if (parent !== undefined && isObject(section)) {
      merged = { ...merged, [parent]: setInside(section, path.slice(parent.length + 1).split("."), value) };
    } else {
      if (parent !== undefined) delete merged[parent];
      merged[path] = value;
    }
  }
  return merged;
}
