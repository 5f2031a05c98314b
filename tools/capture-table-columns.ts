// Captures kube-apiserver's server-side Table column definitions (names, types, formats, priorities and the
// OpenAPI field descriptions kube's printers attach) for every resource kgate serves, from the reference
// kube-apiserver that `make reference` builds, into src/scheme/table-columns-v1.34.json.
// Run: node dist/tools/capture-table-columns.js   (needs the reference binary; see README, "The reference beside us")
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinScheme } from '../src/scheme/index.js';
import { startReference } from '../test/support/reference.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(root, 'src/scheme/table-columns-v1.34.json');
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const ref = await startReference();
try {
  const out: Record<string, unknown> = {};
  for (const r of builtinScheme().resources) {
    // The review APIs take only POST: they have no Table.
    if (!r.stored) continue;
    const path = r.group === '' ? `/api/${r.version}/${r.resource}` : `/apis/${r.group}/${r.version}/${r.resource}`;
    const res = await ref.request('GET', `${path}?limit=1`, { headers: { accept: TABLE } });
    if (res.status !== 200 || res.body?.kind !== 'Table') throw new Error(`${path}: ${res.status} ${res.text.slice(0, 200)}`);
    out[`${r.group}/${r.version}/${r.resource}`] = res.body.columnDefinitions;
  }
  const doc = {
    about:
      'Table columnDefinitions as kube-apiserver v1.34.4 answers them, captured from the reference server by tools/capture-table-columns.ts; keyed group/version/resource.',
    columns: out,
  };
  writeFileSync(OUT, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`wrote ${Object.keys(out).length} resources to ${OUT}`);
} finally {
  await ref.close();
}
process.exit(0);
