// A closed-loop load generator: `concurrency` workers take the next operation index until `total` have run.

export interface LoopResult {
  ops: number;
  ms: number;
  perSecond: number;
}

export async function runConcurrent(
  concurrency: number,
  total: number,
  operation: (index: number, worker: number) => Promise<void>,
): Promise<LoopResult> {
  let next = 0;
  const started = performance.now();
  const worker = async (id: number): Promise<void> => {
    while (next < total) {
      const index = next++;
      await operation(index, id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, (_, id) => worker(id)));
  const ms = performance.now() - started;
  return { ops: total, ms, perSecond: total / (ms / 1000) };
}

/** Median of a few timed runs of `measure` (each returns milliseconds). */
export async function medianOf(runs: number, measure: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measure());
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
