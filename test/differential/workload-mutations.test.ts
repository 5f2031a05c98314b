// Generated invalid workloads (mutations.ts) go to kgate and to the reference kube-apiserver; both must answer
// the same status code and the same causes in the same order. The one licence: causes under a container's
// `resources` come from a Go map, which kube walks in random order, so those are compared as a set (every other
// cause keeps its exact position). Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';
import { HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';
import { mutatedWorkloads } from './mutations.js';

const COUNT = Number(process.env.KGATE_MUTATIONS ?? 600);
const SEEDS = [12345, 777];

interface Cause {
  reason?: string;
  message?: string;
  field?: string;
}

const render = (c: Cause) => `${c.field} | ${c.reason} | ${c.message}`;
const inResourcesMap = (c: Cause) => /\.resources\.(limits|requests)(\[|$)/.test(c.field ?? '');

/** Equal, or equal once the map-ordered resources causes are sorted in place. */
function sameCauses(kube: Cause[], kgate: Cause[]): boolean {
  const a = kube.map(render);
  const b = kgate.map(render);
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  if (JSON.stringify([...a].sort()) !== JSON.stringify([...b].sort())) return false;
  const others = (list: Cause[]) => list.filter((c) => !inResourcesMap(c)).map(render);
  return JSON.stringify(others(kube)) === JSON.stringify(others(kgate));
}

if (!referenceBinary()) {
  console.log(`workload mutation differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: generated invalid workloads get kube-apiserver’s code and causes', function () {
    this.timeout(900_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      [kube, kgate] = await Promise.all([startReference(), startKgate()]);
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
    });

    for (const seed of SEEDS) {
      it(`${COUNT} mutated Pods, Deployments, StatefulSets, DaemonSets, Jobs and CronJobs (seed ${seed})`, async () => {
        const differing: string[] = [];
        for (const [i, r] of mutatedWorkloads(COUNT, seed).entries()) {
          const body = { ...r.body, metadata: { name: `s${seed}-${i}` } };
          const a = await kube!.request('POST', r.path, { body });
          const b = await kgate!.request('POST', r.path, { body });
          const ca: Cause[] = a.status === 422 ? (a.body.details?.causes ?? []) : [];
          const cb: Cause[] = b.status === 422 ? (b.body.details?.causes ?? []) : [];
          if (a.status !== b.status || !sameCauses(ca, cb)) {
            differing.push(
              `${r.path} ${JSON.stringify(body)}\n  kube ${a.status}: ${ca.map(render).join('\n    ')}\n  kgate ${b.status}: ${cb.map(render).join('\n    ')}`,
            );
          }
        }
        assert.deepEqual(differing, [], `${differing.length} of ${COUNT} differ`);
      });
    }
  });
}
