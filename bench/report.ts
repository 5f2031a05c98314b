// One line per figure, `bench: <name> kgate=<v> etcd=<v> ratio=<kgate/etcd>`, plus a closing summary. The unit is
// part of the name (creates_per_s, list_10k_ms, rss_idle_mb); a figure that could not be measured says why.

export interface Figure {
  name: string;
  kgate: number | undefined;
  etcd: number | undefined;
  /** Which load generators produced the two numbers, e.g. "autocannon c=64 / etcd3 c=64". */
  note?: string;
}

const figures: Figure[] = [];
const failures: string[] = [];

function format(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratioOf(figure: Figure): number | undefined {
  if (figure.kgate === undefined || figure.etcd === undefined || figure.etcd === 0) return undefined;
  return figure.kgate / figure.etcd;
}

export function report(figure: Figure): void {
  figures.push(figure);
  const note = figure.note ? ` (${figure.note})` : '';
  console.log(`bench: ${figure.name} kgate=${format(figure.kgate)} etcd=${format(figure.etcd)} ratio=${format(ratioOf(figure))}${note}`);
}

/** A scenario that failed: printed at once and again in the summary. */
export function reportFailure(scenario: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  failures.push(scenario);
  console.log(`bench: ${scenario} failed: ${message.split('\n')[0]}`);
}

export function progress(message: string): void {
  console.error(`bench: … ${message}`);
}

export function printSummary(elapsedMs: number): void {
  const ratios = figures.map((f) => `${f.name}=${format(ratioOf(f))}`).join(' ');
  const failed = failures.length > 0 ? ` failed=[${failures.join(',')}]` : '';
  console.log(`bench: summary figures=${figures.length} elapsed_s=${(elapsedMs / 1000).toFixed(1)} ratios(kgate/etcd): ${ratios}${failed}`);
}

export function hasFailures(): boolean {
  return failures.length > 0;
}
