// The contract every per-kind printer meets.
import type { KubeObject } from '../../storage/interface.js';

/** Stored objects are parsed JSON: field access below them is a JSON boundary. */
export type Json = any;

/** One row's cells, in column order. Strings, integers (numbers) and booleans, as kube's printers emit them. */
export type Cell = string | number | boolean;

export type CellsFn = (obj: KubeObject, nowMs: number) => Cell[];

export interface Printer {
  /** Column names in order; checked against the scheme's columns so a drifted fact sheet falls back safely. */
  readonly columns: readonly string[];
  readonly cells: CellsFn;
  /** Cells past the named columns that kube's rows carry anyway (printIPAddress appends an age no column names). */
  readonly extraCells?: number;
  /** metav1.TableRow conditions, where kube sets any (pods that finished). */
  readonly rowConditions?: (obj: KubeObject) => readonly Record<string, string>[] | undefined;
}
