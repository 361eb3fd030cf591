/** The one JSON line every benchmark ends with. */
export interface BenchResult {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
}

export type Bench = (args: readonly string[]) => Promise<BenchResult>;
