// Server-side printing: the cells of one Table row per object, one cell per column of the resource's scheme
// entry (pkg/printers/internalversion/printers.go, rendered wide as kube-apiserver always does).
import type { ResourceInfo } from '../../scheme/types.js';
import type { KubeObject } from '../../storage/interface.js';
import { fallbackCells } from './generic.js';
import type { CellsFn, Printer } from './types.js';

function sameColumns(printer: Printer, resource: ResourceInfo): boolean {
  const cols = resource.columns;
  if (cols.length !== printer.columns.length) return false;
  for (let i = 0; i < cols.length; i++) if (cols[i].name !== printer.columns[i]) return false;
  return true;
}

const cache = new WeakMap<ResourceInfo, CellsFn>();

/**
 * The row-cells function for a resource and its kind's printer. A printer whose columns do not match the
 * scheme's (a fact-sheet change) is not trusted to line up: the metadata-only fallback fills the columns instead.
 */
export function cellsFor(resource: ResourceInfo, printer: Printer | undefined): (obj: KubeObject, nowMs: number) => unknown[] {
  let fn = cache.get(resource);
  if (!fn) {
    fn = printer && sameColumns(printer, resource) ? printer.cells : fallbackCells(resource.columns);
    cache.set(resource, fn);
  }
  return fn;
}
