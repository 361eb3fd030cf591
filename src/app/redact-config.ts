const SECRET_KEY = /password|apikey|pinhash|privatekey|secret|token/i;

/** A copy of the configuration without its secrets, for diagnostics sent to central. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        SECRET_KEY.test(key) && item !== null ? "[redacted]" : redactSecrets(item),
      ]),
    );
  }
  return value;
}
