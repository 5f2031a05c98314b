// Server-side printing: meta.k8s.io Table responses (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`).
// Columns come from the scheme; cells from the printer in each kind's strategy literal. The server always renders every column,
// kubectl hides priority-1 columns unless -o wide.
import type { KubeObject } from '../storage/interface.js';
import type { Negotiated } from './negotiation.js';
import { cellsFor } from '../registry/printers/index.js';
import type { ResourceScope } from './handlers/scope.js';

/** The alternate representations each read verb can render (as=... in the Accept header). */
export const READ_AS: Record<string, readonly string[]> = {
  get: ['Table', 'PartialObjectMetadata'],
  list: ['Table', 'PartialObjectMetadataList'],
  watch: ['Table', 'PartialObjectMetadata'],
};

export function wantsTable(n: Negotiated): boolean {
  return n.as === 'Table' && (n.group === undefined || n.group === 'meta.k8s.io');
}

/** Metadata-only views (`as=PartialObjectMetadata[List]`), as metadata informers and the garbage collector use. */
export function wantsPartial(n: Negotiated): boolean {
  return (n.as === 'PartialObjectMetadata' || n.as === 'PartialObjectMetadataList') && (n.group === undefined || n.group === 'meta.k8s.io');
}

function metaVersion(n: Negotiated): string {
  return `meta.k8s.io/${n.version === 'v1beta1' ? 'v1beta1' : 'v1'}`;
}

export function partialObject(n: Negotiated, obj: KubeObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: metaVersion(n), metadata: obj.metadata ?? {} };
}

export function partialList(n: Negotiated, items: KubeObject[], listMeta: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: metaVersion(n),
    metadata: listMeta,
    items: items.map((o) => partialObject(n, o)),
  };
}

type IncludeObject = 'None' | 'Metadata' | 'Object';

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function renderTable(
  scope: Pick<ResourceScope, 'resource' | 'negotiated' | 'query' | 'store'>,
  items: KubeObject[],
  listMeta: Record<string, any>,
): Record<string, unknown> {
  const { resource } = scope;
  const apiVersion = `meta.k8s.io/${scope.negotiated.version === 'v1beta1' ? 'v1beta1' : 'v1'}`;
  const include = includeObject(scope.query);
  const now = Date.now();
  const printer = scope.store.strategy.printer;
  const cells = cellsFor(resource, printer);
  const conditions = printer?.rowConditions;
  const rows = items.map((obj) => {
    const row: Record<string, unknown> = { cells: cells(obj, now) };
    const rowConditions = conditions?.(obj);
    if (rowConditions) row.conditions = rowConditions;
    if (include === 'Object') row.object = obj;
    else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata ?? {} };
    return row;
  });
  const metadata: Record<string, unknown> = { resourceVersion: listMeta.resourceVersion ?? '' };
  if (listMeta.continue) metadata.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined) metadata.remainingItemCount = listMeta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion,
    metadata,
    columnDefinitions: resource.columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format,
      description: c.description,
      priority: c.priority,
    })),
    rows,
  };
}
