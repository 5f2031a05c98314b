// The benchmark's stdout, in issue 8's format: one judged line per figure
//   bench: <name> kgate=<v> kube=<v> etcd=<v> ratio_kube=<kgate/kube> ratio_etcd=<kgate/etcd> target=<t> ok|short
// then the CPU seconds each process used while that figure was measured
//   bench: cpu <name> cpu_kgate=<s> cpu_kgate_etcd=<s> ... (see sides.ts)
// and a final `bench: N ok, N short`. The unit is part of the name (creates_per_s, list_10k_ms, ...).
// With the reference kube-apiserver measured (the peer), every figure is judged against it: kgate at least as fast
// (`target=ratio_kube>=1.00` for throughput, `target=ratio_kube<=1.00` for latency, time to ready and memory) and
// raw etcd is shown as the limit. Without the reference binary the peer columns print `-` and each figure keeps its
// own target: a ratio to raw etcd (`target=ratio_etcd>=0.80`) or an absolute budget in the figure's unit
// (`target=<=1000`), where etcd is `-` unless the same operation against raw etcd is shown for comparison.
// Notes, informational figures and progress go to stderr so stdout holds only the judged lines and their CPU.

export type Comparison = '>=' | '<=';

export interface Target {
  /** ratio: kgate/etcd is judged; absolute: kgate's value is judged. Either way `op` says which way is better. */
  kind: 'ratio' | 'absolute';
  op: Comparison;
  value: number;
}

/** CPU seconds (user + system) per process over one figure's measurement, keyed as printed after `cpu_`. */
export type CpuSplit = Record<string, number | undefined>;

export interface Figure {
  name: string;
  kgate: number | undefined;
  /** The reference kube-apiserver's value in the same run; ignored (printed `-`) when no peer runs. */
  kube?: number;
  /** Raw etcd's value for the same operation in the same run; omitted (printed `-`) for absolute budgets. */
  etcd?: number;
  /** The target without the peer; with it, only its direction (op) counts. */
  target: Target;
  /** How the numbers were produced; printed on stderr. */
  note?: string;
  cpu?: CpuSplit;
}

export const atLeast = (value: number): Target => ({ kind: 'ratio', op: '>=', value });
export const atMost = (value: number): Target => ({ kind: 'ratio', op: '<=', value });
export const budget = (value: number): Target => ({ kind: 'absolute', op: '<=', value });

let ok = 0;
let short = 0;
let peer = false;
const failures: string[] = [];

/** Whether the reference kube-apiserver runs beside kgate, i.e. whether figures are judged against it. */
export function setPeer(present: boolean): void {
  peer = present;
}

function format(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratioOf(kgate: number | undefined, other: number | undefined): number | undefined {
  if (kgate === undefined || other === undefined || other <= 0) return undefined;
  return kgate / other;
}

function meets(value: number | undefined, op: Comparison, bound: number | undefined): boolean {
  if (value === undefined || !Number.isFinite(value) || bound === undefined || !Number.isFinite(bound)) return false;
  return op === '>=' ? value >= bound : value <= bound;
}

export function report(figure: Figure): void {
  const ratioEtcd = ratioOf(figure.kgate, figure.etcd);
  const op = figure.target.op;
  let passed: boolean;
  let target: string;
  if (peer) {
    // kgate against kube directly rather than through the ratio, so a non-positive kube value (a memory
    // difference can be) still judges the right way.
    passed = meets(figure.kgate, op, figure.kube);
    target = `ratio_kube${op}1.00`;
  } else if (figure.target.kind === 'ratio') {
    passed = meets(ratioEtcd, op, figure.target.value);
    target = `ratio_etcd${op}${format(figure.target.value)}`;
  } else {
    passed = meets(figure.kgate, op, figure.target.value);
    target = `${op}${format(figure.target.value)}`;
  }
  if (passed) ok++;
  else short++;
  const kube = peer ? format(figure.kube) : '-';
  const ratioKube = peer ? format(ratioOf(figure.kgate, figure.kube)) : '-';
  const etcd = figure.etcd === undefined ? '-' : format(figure.etcd);
  const ratioEtcdText = figure.etcd === undefined ? '-' : format(ratioEtcd);
  console.log(
    `bench: ${figure.name} kgate=${format(figure.kgate)} kube=${kube} etcd=${etcd} ratio_kube=${ratioKube} ratio_etcd=${ratioEtcdText} target=${target} ${passed ? 'ok' : 'short'}`,
  );
  if (figure.cpu) reportCpu(figure.name, figure.cpu);
  if (figure.note) progress(`note ${figure.name}: ${figure.note}`);
}

/** `bench: cpu <name> cpu_<process>=<seconds> ...`, in the order the split was filled. */
export function reportCpu(name: string, cpu: CpuSplit): void {
  const fields = Object.entries(cpu).map(([process, seconds]) => `cpu_${process}=${seconds === undefined ? 'n/a' : seconds.toFixed(2)}`);
  console.log(`bench: cpu ${name} ${fields.join(' ')}`);
}

/** A figure without a target (context for the judged ones): stderr only. */
export function info(name: string, kgate: number | undefined, etcd?: number, note?: string, kube?: number): void {
  const kubeText = peer ? ` kube=${format(kube)} ratio_kube=${format(ratioOf(kgate, kube))}` : '';
  const etcdText = etcd === undefined ? '' : ` etcd=${format(etcd)} ratio_etcd=${format(ratioOf(kgate, etcd))}`;
  progress(`info ${name} kgate=${format(kgate)}${kubeText}${etcdText}${note ? ` (${note})` : ''}`);
}

/** A scenario that failed: its figures are printed as n/a and short, the reason goes to stderr. */
export function reportFailure(scenario: string, figures: Array<Pick<Figure, 'name' | 'target'>>, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  failures.push(scenario);
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
