// An open-loop load generator: each stream's operations are due at a fixed rate from the start, whether or not
// earlier ones have answered, so a slow server builds a queue instead of slowing the client down (no coordinated
// omission). Latency is measured from when an operation was due, so time spent queued behind the in-flight cap
// counts. Operations still unsent when the schedule ends are dropped and counted with the time they had waited.

export interface OpenLoopStream {
  name: string;
  perSecond: number;
  /** Runs operation `index` of this stream; throwing or resolving false counts as an error. */
  operation: (index: number) => Promise<boolean>;
}

export interface StreamOutcome {
  /** Milliseconds from due to done, one per scheduled operation (dropped ones included). */
  latencies: number[];
  errors: number;
  dropped: number;
  /** Operations that completed in time, per second of schedule. */
  achievedPerSecond: number;
}

export interface OpenLoopOptions {
  durationMs: number;
  maxInFlight: number;
  /** How long to wait for in-flight operations after the schedule ends. */
  drainMs: number;
}

interface StreamState {
  stream: OpenLoopStream;
  next: number;
  outcome: StreamOutcome;
}

const TICK_MS = 1;

export async function runOpenLoop(streams: OpenLoopStream[], options: OpenLoopOptions): Promise<Map<string, StreamOutcome>> {
  const states: StreamState[] = streams.map((stream) => ({
    stream,
    next: 0,
    outcome: { latencies: [], errors: 0, dropped: 0, achievedPerSecond: 0 },
  }));
  const started = performance.now();
  const end = started + options.durationMs;
  const dueAt = (state: StreamState): number => started + (state.next * 1000) / state.stream.perSecond;
  const pending = new Set<Promise<void>>();
  let wake: (() => void) | undefined;

  const launch = (state: StreamState): void => {
    const due = dueAt(state);
    const index = state.next++;
    const done = state.stream.operation(index).then(
      (succeeded) => {
        if (!succeeded) state.outcome.errors++;
      },
      () => void state.outcome.errors++,
    );
    const tracked: Promise<void> = done.then(() => {
      state.outcome.latencies.push(performance.now() - due);
      pending.delete(tracked);
      wake?.();
    });
    pending.add(tracked);
  };

  // Launch whatever is due, earliest first, up to the in-flight cap; then sleep a tick or until a slot frees.
  for (;;) {
    const now = performance.now();
    if (now >= end) break;
    while (pending.size < options.maxInFlight) {
      let earliest: StreamState | undefined;
      for (const state of states) if (!earliest || dueAt(state) < dueAt(earliest)) earliest = state;
      if (!earliest || dueAt(earliest) > now) break;
      launch(earliest);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, TICK_MS);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });
  }

  const stopped = performance.now();
  for (const state of states) {
    while (dueAt(state) < end) {
      state.outcome.latencies.push(stopped - dueAt(state));
      state.outcome.dropped++;
      state.next++;
    }
  }
  const drained = await Promise.race([
    Promise.all(pending).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.drainMs).unref()),
  ]);
  if (!drained) throw new Error(`${pending.size} operations still in flight ${options.drainMs} ms after the schedule ended`);
  for (const state of states) {
    const completed = state.outcome.latencies.length - state.outcome.dropped - state.outcome.errors;
    state.outcome.achievedPerSecond = completed / (options.durationMs / 1000);
  }
  return new Map(states.map((state) => [state.stream.name, state.outcome]));
}

/** The q-quantile (0..1) by nearest rank; NaN for no samples. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
