// The benchmark's stdout, in the issue's format: one line per figure
//   bench: <name> kgate=<v> etcd=<v> ratio=<kgate/etcd> target=<op><value> ok|short
// and a final `bench: N ok, N short`. The unit is part of the name (creates_per_s, list_10k_ms, ...). A ratio
// target judges kgate/etcd; an absolute target (time to ready, RSS budgets, latencies) judges kgate's value in the
// figure's own unit, and etcd is `-` unless the same operation against raw etcd is shown for comparison.
// When the reference kube-apiserver is built (`make reference`), run.ts first measures every figure on it (the peer
// phase: figures are kept, not printed), and each kgate line then reads
//   bench: <name> kgate=<v> kube=<v> etcd=<v> ratio_kube=<kgate/kube> ratio_etcd=<kgate/etcd> target=<op>1.00 ok|short
// judged against kube-apiserver: kgate at least as fast (>=1 for throughput, <=1 for latency, time to ready, memory).
// Notes, informational figures and progress go to stderr so stdout holds only the judged lines.

export type Comparison = '>=' | '<=';

export interface Target {
  /** ratio: kgate/etcd is judged; absolute: kgate's value is judged. */
  kind: 'ratio' | 'absolute';
  op: Comparison;
  value: number;
}

export interface Figure {
  name: string;
  kgate: number | undefined;
  /** Raw etcd's value for the same operation in the same run; omitted (printed `-`) for absolute budgets. */
  etcd?: number;
  target: Target;
  /** How the numbers were produced; printed on stderr. */
  note?: string;
}

export const atLeast = (value: number): Target => ({ kind: 'ratio', op: '>=', value });
export const atMost = (value: number): Target => ({ kind: 'ratio', op: '<=', value });
export const budget = (value: number): Target => ({ kind: 'absolute', op: '<=', value });

let ok = 0;
let short = 0;
const failures: string[] = [];

/** 'peer': figures measured on the reference kube-apiserver, kept for the kgate lines instead of printed. */
let phase: 'kgate' | 'peer' = 'kgate';
const peerValues = new Map<string, number | undefined>();
let peerMeasured = false;

/** Until endPeerPhase(), report() records each figure's value as kube-apiserver's. */
export function beginPeerPhase(): void {
  phase = 'peer';
  peerMeasured = true;
}

export function endPeerPhase(): void {
  phase = 'kgate';
}

function format(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratioOf(kgate: number | undefined, etcd: number | undefined): number | undefined {
  if (kgate === undefined || etcd === undefined || etcd === 0) return undefined;
  return kgate / etcd;
}

function meets(value: number | undefined, target: Target): boolean {
  if (value === undefined || !Number.isFinite(value)) return false;
  return target.op === '>=' ? value >= target.value : value <= target.value;
}

export function report(figure: Figure): void {
  if (phase === 'peer') {
    peerValues.set(figure.name, figure.kgate);
    if (figure.note) progress(`note ${figure.name} (kube-apiserver): ${figure.note}`);
    return;
  }
  if (peerMeasured) return reportWithPeer(figure);
  const ratio = ratioOf(figure.kgate, figure.etcd);
  const judged = figure.target.kind === 'ratio' ? ratio : figure.kgate;
  const passed = meets(judged, figure.target);
  if (passed) ok++;
  else short++;
  const etcd = figure.etcd === undefined ? '-' : format(figure.etcd);
  const ratioText = figure.etcd === undefined ? '-' : format(ratio);
  const target = `${figure.target.op}${format(figure.target.value)}`;
  console.log(`bench: ${figure.name} kgate=${format(figure.kgate)} etcd=${etcd} ratio=${ratioText} target=${target} ${passed ? 'ok' : 'short'}`);
  if (figure.note) progress(`note ${figure.name}: ${figure.note}`);
}

function reportWithPeer(figure: Figure): void {
  const kube = peerValues.get(figure.name);
  const ratioKube = ratioOf(figure.kgate, kube);
  // Throughput targets are `>=`, latency, time and memory `<=`: the same direction against kube-apiserver at 1.0.
  const target: Target = { kind: 'ratio', op: figure.target.op, value: 1 };
  const passed = meets(ratioKube, target);
  if (passed) ok++;
  else short++;
  const etcd = figure.etcd === undefined ? '-' : format(figure.etcd);
  const ratioEtcd = figure.etcd === undefined ? '-' : format(ratioOf(figure.kgate, figure.etcd));
  console.log(
    `bench: ${figure.name} kgate=${format(figure.kgate)} kube=${format(kube)} etcd=${etcd} ratio_kube=${format(ratioKube)} ratio_etcd=${ratioEtcd} target=${target.op}${format(target.value)} ${passed ? 'ok' : 'short'}`,
  );
  if (figure.note) progress(`note ${figure.name}: ${figure.note}`);
}

/** A figure without a target (context for the judged ones): stderr only. */
export function info(name: string, kgate: number | undefined, etcd?: number, note?: string): void {
  const server = phase === 'peer' ? 'kube' : 'kgate';
  const etcdText = etcd === undefined ? '' : ` etcd=${format(etcd)} ratio=${format(ratioOf(kgate, etcd))}`;
  progress(`info ${name} ${server}=${format(kgate)}${etcdText}${note ? ` (${note})` : ''}`);
}

/** A scenario that failed: its figures are printed as n/a and short, the reason goes to stderr. */
export function reportFailure(scenario: string, figures: Array<Pick<Figure, 'name' | 'target'>>, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  failures.push(phase === 'peer' ? `${scenario} (kube-apiserver)` : scenario);
  progress(`${scenario} failed: ${message}`);
  for (const figure of figures) report({ ...figure, kgate: undefined, etcd: figure.target.kind === 'ratio' ? Number.NaN : undefined });
}

export function progress(message: string): void {
  console.error(`bench: … ${message}`);
}

export function printSummary(elapsedMs: number): void {
  const failed = failures.length > 0 ? `; failed scenarios: ${failures.join(', ')}` : '';
  progress(`elapsed ${(elapsedMs / 1000).toFixed(1)} s${failed}`);
  console.log(`bench: ${ok} ok, ${short} short`);
}

export function hasFailures(): boolean {
  return failures.length > 0;
}
