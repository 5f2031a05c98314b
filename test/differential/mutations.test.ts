// Generated invalid objects go to kgate and to the reference kube-apiserver; both must answer the same status code
// and the same causes in the same order (issue 10). Two generators feed it: the shape-driven mutations of a valid
// seed per served kind (generic-mutations.ts, seeds.ts), as creates and as updates (PUT or merge patch of a valid
// object created first), and the hand-written workload faults of mutations.ts. Causes kube produces from a Go map
// are compared as a set (mutation-compare.ts). Each request runs on kube, then on kgate, one at a time; whatever
// a request created is deleted again so no object (a quota, a limit range, a taken name) changes later answers.
// Set KGATE_MUTATION_NOTES=<dir> to write the distinct differences per area (diff-<area>.md) there, and
// KGATE_MUTATION_KINDS=Pod,Service to run some kinds only (`hand-written` names mutations.ts's set).
// Known differences (mutation-known-differences.json, one entry per distinct difference signature, each with the
// reason kgate still differs) are tolerated and counted in the agreement rate; any other difference fails its kind,
// and an entry that no longer occurs fails the last test, so the list only shrinks.
// Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { startKgate, type Kgate } from '../support/kgate.js';
import type { HttpResponse, Requester } from '../support/http.js';
import { KGATE_LIKE_REFERENCE_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';
import { brief, generateMutants, mergePatch, mutationNamespaces, namespaceOf, type Mutant } from './generic-mutations.js';
import { answerOf, Tally, type Answer } from './mutation-compare.js';
import { mutatedWorkloads } from './mutations.js';
import { SEED_KINDS, SEEDS, type Area } from './seeds.js';

interface KnownDifference {
  signature: string;
  reason: string;
}
const KNOWN_FILE = new URL('../../../test/differential/mutation-known-differences.json', import.meta.url).pathname;
const KNOWN: KnownDifference[] = JSON.parse(readFileSync(KNOWN_FILE, 'utf8')).entries;
const KNOWN_SIGNATURES = new Set(KNOWN.map((k) => k.signature));

/** Generated objects per kind and seed; with 37 kinds and 2 seeds the default gives 37 × 2 × 125 = 9,250. */
const PER_KIND = Number(process.env.KGATE_MUTATIONS_PER_KIND ?? 125);
const SEEDS_GENERIC = [20260, 4242];
/** Hand-written workload faults per seed (mutations.ts). */
const WORKLOADS = Number(process.env.KGATE_MUTATIONS ?? 600);
const SEEDS_WORKLOADS = [12345, 777];

const HAND_WRITTEN_KINDS: Record<string, string> = {
  pods: 'Pod',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
};

/** KGATE_MUTATION_KINDS=Pod,Service runs only those kinds (add `hand-written` for mutations.ts's workloads). */
const ONLY = process.env.KGATE_MUTATION_KINDS?.split(',').map((k) => k.trim());
const chosen = (kind: string) => !ONLY || ONLY.includes(kind);

const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };

/** Deletes what a request created, clearing finalizers kube's admission added so the name is free again. */
async function remove(request: Requester, path: string): Promise<void> {
  const res = await request('DELETE', path);
  const meta = res.body?.metadata;
  if (res.status === 200 && meta?.deletionTimestamp && Array.isArray(meta.finalizers) && meta.finalizers.length > 0) {
    await request('PATCH', path, { body: { metadata: { finalizers: null } }, headers: MERGE_PATCH });
  }
}

const createdName = (res: HttpResponse): string | undefined =>
  res.status >= 200 && res.status < 300 && typeof res.body?.metadata?.name === 'string' ? res.body.metadata.name : undefined;

/** Sends one mutant to one server: its answer, after the server is left as it was. */
async function play(request: Requester, m: Mutant): Promise<Answer> {
  const ns = namespaceOf(m.seed.kind);
  const coll = m.seed.collection(ns);
  if (m.op === 'create') {
    const res = await request('POST', coll, { body: m.body });
    const name = createdName(res);
    if (name !== undefined) await remove(request, `${coll}/${encodeURIComponent(name)}`);
    const generateName = m.body.metadata?.generateName;
    return answerOf(res, typeof generateName === 'string' && generateName !== '' ? generateName : undefined);
  }
  const created = await request('POST', coll, { body: m.original });
  if (created.status !== 201) {
    // The seed itself was refused: a broken seed, reported as its own difference.
    return { status: -created.status, message: `seed create refused: ${created.body?.message ?? created.text}`, causes: [] };
  }
  const at = `${coll}/${m.name}`;
  let res: HttpResponse;
  if (m.op === 'put') {
    const body = JSON.parse(JSON.stringify(m.body));
    if (typeof body.metadata === 'object' && body.metadata !== null && body.metadata.resourceVersion === undefined) {
      body.metadata.resourceVersion = created.body.metadata.resourceVersion;
    }
    res = await request('PUT', at, { body });
  } else {
    res = await request('PATCH', at, { body: mergePatch(m.original, m.body), headers: MERGE_PATCH });
  }
  await remove(request, at);
  return answerOf(res);
}

const describeMutant = (m: Mutant, ns: string) => {
  const coll = m.seed.collection(ns);
  const how =
    m.op === 'create' ? `POST ${coll}` : `${m.op === 'put' ? 'PUT' : 'PATCH (merge)'} ${coll}/${m.name} after creating the seed unchanged`;
  return `${how}; ${m.seed.kind} seed #${m.seedIndex}; ${m.mutations.join('; ')}`;
};

if (!referenceBinary()) {
  console.log(`generated-invalid-object differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: generated invalid objects get kube-apiserver’s code and causes', function () {
    this.timeout(1_800_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    const tally = new Tally();
    const started = Date.now();

    before(async () => {
      [kube, kgate] = await Promise.all([startReference(), startKgate({ flags: KGATE_LIKE_REFERENCE_FLAGS })]);
      for (const ns of mutationNamespaces()) {
        for (const request of [kube.request, kgate.request] as Requester[]) {
          const res: HttpResponse = await request('POST', '/api/v1/namespaces', { body: { metadata: { name: ns } } });
          assert.equal(res.status, 201, `creating namespace ${ns}: ${res.text}`);
        }
      }
    });
    after(async () => {
      const header = [
        `Written by test/differential/mutations.test.ts on ${new Date().toISOString()} (${ONLY ? `only ${ONLY.join(', ')} of ` : ''}${SEED_KINDS.length} kinds × ${SEEDS_GENERIC.length} seeds × ${PER_KIND} generated${chosen('hand-written') ? `, plus ${SEEDS_WORKLOADS.length} × ${WORKLOADS} hand-written workload faults` : ''}; ${Math.round((Date.now() - started) / 1000)} s).`,
        'Each difference: same request to kube-apiserver v1.34.4 and kgate; the status code or the causes (field | reason | message) differ.',
      ].join('\n');
      console.log(`generated invalid objects: ${tally.agreement()}`);
      const dir = process.env.KGATE_MUTATION_NOTES;
      if (dir) tally.writeNotes(dir, header);
      // KGATE_MUTATION_SIGNATURES=<file> lists every distinct signature seen (to review the known list).
      const out = process.env.KGATE_MUTATION_SIGNATURES;
      if (out) writeFileSync(out, `${JSON.stringify([...tally.distinct.keys()].sort(), null, 1)}\n`);
      await Promise.all([kube?.close(), kgate?.close()]);
    });

    it('the generator repeats itself for a seed and changes every object it sends', () => {
      for (const kind of SEED_KINDS) {
        const once = generateMutants(kind, 20, SEEDS_GENERIC[0]!);
        assert.deepEqual(
          once.map((m) => m.body),
          generateMutants(kind, 20, SEEDS_GENERIC[0]!).map((m) => m.body),
        );
        for (const m of once) assert.notDeepEqual(m.body, m.original, `${kind}: ${m.name} is its seed unchanged`);
      }
      assert.deepEqual(mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: 1, b: { c: 4 }, e: [1, 1], f: 'x' }), {
        b: { c: 4, d: null },
        e: [1, 1],
        f: 'x',
      });
    });

    for (const kind of SEED_KINDS.filter(chosen)) {
      const area: Area = SEEDS.find((s) => s.kind === kind)!.area;
      it(`${kind}: ${SEEDS_GENERIC.length} × ${PER_KIND} generated invalid objects (creates and updates)`, async () => {
        const unexpected = new Set<string>();
        for (const seed of SEEDS_GENERIC) {
          for (const m of generateMutants(kind, PER_KIND, seed)) {
            const ns = namespaceOf(kind);
            const a = await play(kube!.request, m);
            const b = await play(kgate!.request, m);
            for (const sig of tally.record(kind, area, describeMutant(m, ns), a, b)) if (!KNOWN_SIGNATURES.has(sig)) unexpected.add(sig);
          }
        }
        assert.deepEqual([...unexpected], [], `${kind}: ${tally.agreement([kind])}; distinct differences:\n${tally.describe(kind)}`);
      });
    }

    for (const seed of chosen('hand-written') ? SEEDS_WORKLOADS : []) {
      it(`${WORKLOADS} hand-written workload faults (seed ${seed})`, async () => {
        const kinds = new Set<string>();
        const unexpected = new Set<string>();
        for (const [i, r] of mutatedWorkloads(WORKLOADS, seed).entries()) {
          const body = { ...r.body, metadata: { name: `s${seed}-${i}` } };
          const kind = `${HAND_WRITTEN_KINDS[r.path.split('/').pop()!]} (hand-written)`;
          kinds.add(kind);
          const area: Area = kind.startsWith('Pod ') ? 'pod' : 'apps';
          const run = async (request: Requester) => {
            const res = await request('POST', r.path, { body });
            const name = createdName(res);
            if (name !== undefined) await remove(request, `${r.path}/${name}`);
            return answerOf(res);
          };
          const a = await run(kube!.request);
          const b = await run(kgate!.request);
          for (const sig of tally.record(kind, area, `POST ${r.path} ${brief(body)}`, a, b))
            if (!KNOWN_SIGNATURES.has(sig)) unexpected.add(sig);
        }
        const list = [...kinds];
        assert.deepEqual([...unexpected], [], `${tally.agreement(list)}\n${list.map((k) => tally.describe(k, 10)).join('\n')}`);
      });
    }

    // Only a full run can tell that a known difference is gone.
    if (!ONLY && PER_KIND === 125 && WORKLOADS === 600) {
      it('every known difference still occurs (remove the entries that do not from mutation-known-differences.json)', () => {
        const gone = KNOWN.filter((k) => !tally.distinct.has(k.signature)).map((k) => k.signature);
        assert.deepEqual(gone, []);
      });
    }
  });
}
