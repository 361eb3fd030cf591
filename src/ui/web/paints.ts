/** When each screen was painted (for the benchmark and tests): after the next frame is drawn. */
export interface Paint {
  readonly seq: number;
  readonly name: string;
  /** Wall-clock epoch milliseconds (Date.now), comparable with other processes on the machine. */
  readonly at: number;
}

const KEEP = 2000;

declare global {
  interface Window {
    spectraPaints?: Paint[];
  }
}

export function recordPaint(seq: number, name: string): void {
  window.spectraPaints ??= [];
  const paints = window.spectraPaints;
  // The frame after next: the one that shows this render has been presented.
  requestAnimationFrame(() =>
    setTimeout(() => {
      paints.push({ seq, name, at: Date.now() });
      if (paints.length > KEEP) paints.splice(0, paints.length - KEEP);
    }, 0),
  );
}
