import { createRequire } from "node:module";

/** One sample of a family, as parse-prometheus-text-format gives it. */
export interface PromSample {
  readonly value?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly buckets?: Readonly<Record<string, string>>;
  readonly count?: string;
  readonly sum?: string;
}

export interface PromFamily {
  readonly name: string;
  readonly help: string;
  readonly type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
  readonly metrics: readonly PromSample[];
}

// The parser ships CommonJS without types: typed here, once.
const parse = createRequire(import.meta.url)("parse-prometheus-text-format") as (
  text: string,
) => PromFamily[];

/** The Prometheus text format, parsed by a maintained parser (prom2json-compatible output). */
export function parsePrometheusText(text: string): PromFamily[] {
  return parse(text);
}

/** The samples of `name` whose labels include `labels`. */
export function samples(
  families: readonly PromFamily[],
  name: string,
  labels: Record<string, string> = {},
): PromSample[] {
  const family = families.find((candidate) => candidate.name === name);
  return (family?.metrics ?? []).filter((sample) =>
    Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
  );
}

/** The one value of `name` with `labels`, as a number; undefined when there is none. */
export function sampleValue(
  families: readonly PromFamily[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const [sample] = samples(families, name, labels);
  return sample?.value === undefined ? undefined : Number(sample.value);
}
