/** `work`, or a rejection once `ms` have passed without it settling (the work itself goes on). */
export function withTimeLimit<T>(work: Promise<T>, ms: number, what = "the work"): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
