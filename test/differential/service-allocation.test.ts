// The Service allocators' answers beside the reference kube-apiserver's, both with --service-cluster-ip-range=
// 10.0.0.0/24 and the default NodePort range: taken, out-of-range and malformed ClusterIP and NodePort requests,
// dry runs, deletes that free an address, type changes. Refusals must match in status, reason, message and details;
// successes in status and the allocated fields asked for. Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import type { HttpResponse, Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const NS = '/api/v1/namespaces/default';
const RANGE = '--service-cluster-ip-range=10.0.0.0/24';

interface Step {
  title: string;
  method: string;
  path: string;
  body?: object;
  headers?: Record<string, string>;
  /** spec fields of a successful answer that must be the same on both (requested, not picked at random). */
  compare?: string[];
}

const svc = (name: string | undefined, spec: object): object => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: name === undefined ? {} : { name },
  spec: { ports: [{ port: 80 }], ...spec },
});
const create = (title: string, name: string | undefined, spec: object, compare?: string[], query = ''): Step => ({
  title,
  method: 'POST',
  path: `${NS}/services${query}`,
  body: svc(name, spec),
  ...(compare && { compare }),
});
const mergePatch = (title: string, name: string, spec: object, compare?: string[]): Step => ({
  title,
  method: 'PATCH',
  path: `${NS}/services/${name}`,
  body: { spec },
  headers: { 'content-type': 'application/merge-patch+json' },
  ...(compare && { compare }),
});

const SETUP: Step[] = [
  create('a Service owning 10.0.0.5', 'ip-owner', { clusterIP: '10.0.0.5' }),
  create('a NodePort Service owning 30080', 'np-owner', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
  create('a Service to change', 'changer', { clusterIP: '10.0.0.20' }),
];

const STEPS: Step[] = [
  create('a taken ClusterIP', 'ip-thief', { clusterIP: '10.0.0.5' }),
  create('a ClusterIP outside the range', 'ip-outside', { clusterIP: '10.1.0.5' }),
  create('the network address', 'ip-network', { clusterIP: '10.0.0.0' }),
  create('the broadcast address', 'ip-broadcast', { clusterIP: '10.0.0.255' }),
  create('the kubernetes Service’s address', 'ip-api', { clusterIP: '10.0.0.1' }),
  create('clusterIPs naming a taken address', 'ip-thief2', { clusterIPs: ['10.0.0.5'] }),
  create('an IPv6 ClusterIP on an IPv4 cluster', 'ip-v6', { clusterIP: 'fd00::5' }),
  create('RequireDualStack on an IPv4 cluster', 'dual', { ipFamilyPolicy: 'RequireDualStack' }),
  create('PreferDualStack on an IPv4 cluster', 'prefer', { ipFamilyPolicy: 'PreferDualStack', clusterIP: '10.0.0.30' }, [
    'clusterIP',
    'clusterIPs',
    'ipFamilies',
    'ipFamilyPolicy',
  ]),
  create('a nameless Service asking for an address', undefined, { clusterIP: '10.0.0.9' }),
  create('a nameless Service', undefined, {}),
  create('a taken NodePort', 'np-thief', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
  create('a NodePort outside the range', 'np-outside', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] }),
  create('one NodePort asked for by two service ports', 'np-twice', {
    type: 'NodePort',
    ports: [
      { name: 'a', port: 80, nodePort: 30100 },
      { name: 'b', port: 81, nodePort: 30100 },
    ],
  }),
  create(
    'two protocols of one port share its NodePort',
    'np-shared',
    {
      type: 'NodePort',
      ports: [
        { name: 'a', port: 53, protocol: 'TCP', nodePort: 30053 },
        { name: 'b', port: 53, protocol: 'UDP' },
      ],
    },
    ['ports'],
  ),
  create('a taken health-check NodePort', 'hc-thief', {
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 30080,
  }),
  create('a taken ClusterIP, dry run', 'dry-thief', { clusterIP: '10.0.0.5' }, ['clusterIP', 'clusterIPs'], '?dryRun=All'),
  create('a ClusterIP outside the range, dry run', 'dry-outside', { clusterIP: '10.1.0.5' }, undefined, '?dryRun=All'),
  create('a picked ClusterIP, dry run', 'dry-any', {}, ['clusterIP', 'clusterIPs'], '?dryRun=All'),
  mergePatch('changing a ClusterIP', 'changer', { clusterIP: '10.0.0.21', clusterIPs: ['10.0.0.21'] }),
  mergePatch('to ExternalName', 'changer', { type: 'ExternalName', externalName: 'example.com' }, [
    'clusterIP',
    'clusterIPs',
    'ipFamilies',
  ]),
  mergePatch('back to ClusterIP with the old address', 'changer', { type: 'ClusterIP', externalName: null, clusterIP: '10.0.0.20' }, [
    'clusterIP',
    'clusterIPs',
  ]),
  mergePatch('a NodePort taken by another Service', 'changer', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
  { title: 'deleting the owner of 10.0.0.5', method: 'DELETE', path: `${NS}/services/ip-owner` },
  create('the freed ClusterIP', 'ip-thief', { clusterIP: '10.0.0.5' }, ['clusterIP', 'clusterIPs']),
  { title: 'deleting the owner of 30080', method: 'DELETE', path: `${NS}/services/np-owner` },
  create('the freed NodePort', 'np-thief', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }, ['ports']),
];

/** The reference's status for each step, in order: the steps exercise what they say (refusals, 500s, frees). */
const KUBE_STATUSES = [
  422, 422, 422, 422, 422, 422, 422, 422, 201, 422, 500, 422, 422, 422, 201, 500, 201, 422, 201, 422, 200, 200, 422, 200, 201, 200, 201,
];

function summary(res: HttpResponse, compare: string[] = []) {
  if (res.status < 300) {
    const spec = res.body?.spec ?? {};
    return { status: res.status, ...Object.fromEntries(compare.map((f) => [f, spec[f]])) };
  }
  return { status: res.status, reason: res.body?.reason, message: res.body?.message, details: res.body?.details };
}

async function run(request: Requester, step: Step) {
  return summary(await request(step.method, step.path, { body: step.body, ...(step.headers && { headers: step.headers }) }), step.compare);
}

if (!referenceBinary()) {
  console.log(`Service allocation differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: Service allocation answers as kube-apiserver gives them', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      [kube, kgate] = await Promise.all([startReference({ extraArgs: [RANGE] }), startKgate({ flags: [RANGE] })]);
      // kube's bootstrap controller makes the kubernetes Service (and takes 10.0.0.1) a moment after /readyz; the steps
      // that ask for that address need it in place on both servers.
      for (const server of [kube, kgate]) {
        const deadline = Date.now() + 60_000;
        while ((await server.request('GET', '/api/v1/namespaces/default/services/kubernetes')).status !== 200) {
          if (Date.now() > deadline) assert.fail('the kubernetes Service never appeared');
          await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval, not a wait for time to pass
        }
      }
      for (const step of SETUP) {
        for (const server of [kube, kgate]) {
          const res = await run(server.request, step);
          assert.equal(res.status, 201, `${step.title}: ${JSON.stringify(res)}`);
        }
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
    });

    // One test: the steps change state (deletes free what later steps ask for), so they run in order.
    it('answers every step as the reference does', async () => {
      const differences: string[] = [];
      const statuses: number[] = [];
      for (const step of STEPS) {
        const want = await run(kube!.request, step);
        statuses.push(want.status);
        const got = await run(kgate!.request, step);
        try {
          assert.deepEqual(got, want);
        } catch {
          differences.push(`${step.title}:\n  kube:  ${JSON.stringify(want)}\n  kgate: ${JSON.stringify(got)}`);
        }
      }
      assert.deepEqual(differences, []);
      assert.deepEqual(statuses, KUBE_STATUSES);
    });

    it('gives the kubernetes Service the same spec, apart from the port each serves on', async () => {
      const path = `${NS}/services/kubernetes`;
      const [want, got] = await Promise.all([kube!.request('GET', path), kgate!.request('GET', path)]);
      const masked = (body: any) => ({
        labels: body.metadata.labels,
        spec: { ...body.spec, ports: body.spec.ports.map((p: any) => ({ ...p, targetPort: 'secure-port' })) },
      });
      assert.deepEqual(masked(got.body), masked(want.body));
    });
  });
}
