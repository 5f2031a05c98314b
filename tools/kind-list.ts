// The kinds to generate schemas for: the top-level kinds of tools/facts/kinds-v1.34.json plus the kinds their
// subresources speak (autoscaling/v1 Scale, v1 Binding, policy/v1 Eviction, authentication.k8s.io/v1 TokenRequest).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface KindRef {
  group: string;
  version: string;
  kind: string;
}

interface KindFactsEntry extends KindRef {
  subresources: { name: string; kind?: string }[];
}

/** `policy/v1 Eviction` or `v1 Binding` at the start of a subresource's kind note; *Options kinds are query parameters. */
function subresourceKind(note: string | undefined): KindRef | undefined {
  const m = /^(?:([a-z0-9.-]+)\/)?(v[0-9]+(?:(?:alpha|beta)[0-9]+)?) ([A-Z][A-Za-z]+)/.exec(note ?? '');
  if (m === null || m[3].endsWith('Options')) return undefined;
  return { group: m[1] ?? '', version: m[2], kind: m[3] };
}

export function readKindList(root: string): KindRef[] {
  const entries = JSON.parse(readFileSync(resolve(root, 'tools/facts/kinds-v1.34.json'), 'utf8')) as KindFactsEntry[];
  const byKey = new Map<string, KindRef>();
  const add = (k: KindRef): void => {
    byKey.set(`${k.group}/${k.version}/${k.kind}`, { group: k.group, version: k.version, kind: k.kind });
  };
  for (const e of entries) {
    add(e);
    for (const s of e.subresources) {
      const k = subresourceKind(s.kind);
      if (k !== undefined) add(k);
    }
  }
  return [...byKey.values()];
}
