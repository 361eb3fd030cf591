/** Half of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (text: string): boolean => text.includes("\u0000") || LONE_SURROGATE.test(text);

/**
 * Where `value` holds text PostgreSQL cannot store — a NUL, or an unpaired surrogate, both of which
 * JSON can carry but neither text nor jsonb can hold — as a path (`note`, `method.reference`); null
 * when it holds none. Found before writing, so such a message is refused on its own instead of
 * failing a whole batch that must then be split to find it. Walks without recursion (the value came
 * from a hostile message), keys included.
 */
export function unstorableTextAt(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [current, path] = stack.pop() as [unknown, string];
    if (typeof current === "string") {
      if (unstorable(current)) return path || "(the value)";
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => {
        stack.push([item, `${path}[${index}]`]);
      });
    } else if (typeof current === "object" && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const at = path ? `${path}.${key}` : key;
        if (unstorable(key)) return `a key in ${path || "the value"}`;
        stack.push([item, at]);
      }
    }
  }
  return null;
}
