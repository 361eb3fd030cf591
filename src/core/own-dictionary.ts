/** Defines an own data property: unlike `node[key] = value`, it never runs a setter such as __proto__'s. */
export function defineKey(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of an object built from input: its own entries only, in an object without a prototype, so
 * no key of it ("__proto__", "constructor") can reach Object.prototype when it is read or walked.
 */
export function ownDictionary<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  const dictionary: Record<string, T> = Object.create(null);
  for (const [key, value] of Object.entries(entries)) defineKey(dictionary, key, value);
  return dictionary;
}
