// The generic table for kinds without a print handler (rest.NewDefaultTableConvertor: Name and Created At),
// and a column-driven fallback that fills any scheme columns from metadata alone.
import type { TableColumn } from '../../scheme/types.js';
import { nameOf } from './format.js';
import { age, rfc3339 } from './humanDuration.js';
import type { Cell, CellsFn, Printer } from './types.js';

export const defaultTable: Printer = {
  columns: ['Name', 'Created At'],
  cells: (obj) => [nameOf(obj), rfc3339(obj.metadata?.creationTimestamp)],
};

type MetadataCell = (obj: Parameters<CellsFn>[0], nowMs: number) => Cell;

const nameCell: MetadataCell = (obj) => nameOf(obj);
const createdAtCell: MetadataCell = (obj) => rfc3339(obj.metadata?.creationTimestamp);
const ageCell: MetadataCell = age;
const emptyCell: MetadataCell = () => '';

function metadataCell(column: TableColumn): MetadataCell {
  if (column.format === 'name' || column.name === 'Name') return nameCell;
  if (column.name === 'Age') return ageCell;
  if (column.type === 'date' || column.name === 'Created At') return createdAtCell;
  return emptyCell;
}

/**
 * One cell per column for a resource with no printer: the name, the creation time (RFC3339 for a `date` column,
 * HumanDuration for Age) and '' for anything that needs kind-specific knowledge.
 */
export function fallbackCells(columns: readonly TableColumn[]): CellsFn {
  const fns = columns.map(metadataCell);
  return (obj, nowMs) => fns.map((fn) => fn(obj, nowMs));
}
