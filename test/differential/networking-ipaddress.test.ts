// networking.k8s.io/v1 IPAddress and ServiceCIDR beside the reference kube-apiserver (kube's pkg/registry/networking/
// {ipaddress,servicecidr} and pkg/apis/networking/validation): the same requests to both, in order, and the same
// answers — the allocator's own objects as lists, their Table columns and cells, objects users create and kube's
// 422s for bad names, parent references and CIDRs, immutable fields, and /status. Both run with
// --service-cluster-ip-range=10.0.0.0/24. Masked: uids, resourceVersions and timestamps. Without the reference
// binary the suite registers nothing.
import assert from 'node:assert/strict';
import type { Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';
import { normalise } from './compare.js';

const NET = '/apis/networking.k8s.io/v1';
const TABLE = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const MERGE = { 'content-type': 'application/merge-patch+json' };

interface Step {
  title: string;
  method: string;
  path: string;
  body?: object;
  headers?: Record<string, string>;
  /** Compare only this part of the body. */
  part?: (body: any) => unknown;
}

const ipAddress = (name: string, parentRef: object | undefined = { resource: 'services', namespace: 'default', name: 'x' }) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IPAddress',
  metadata: { name },
  spec: parentRef === undefined ? {} : { parentRef },
});
const serviceCIDR = (name: string, cidrs: string[] | undefined) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'ServiceCIDR',
  metadata: { name },
  spec: cidrs === undefined ? {} : { cidrs },
});
const post = (title: string, path: string, body: object): Step => ({ title, method: 'POST', path, body });
const merge = (title: string, path: string, body: object): Step => ({ title, method: 'PATCH', path, body, headers: MERGE });
/** A Table's columns and each row's cells, the third (the age, which ticks; IPAddress rows carry it unnamed) as its type. */
const tableShape = (body: any) => ({
  columns: body?.columnDefinitions,
  rows: (body?.rows ?? []).map((r: any) => r.cells.map((c: unknown, i: number) => (i < 2 ? c : typeof c))),
});

const STEPS: Step[] = [
  { title: 'the default ServiceCIDR `kubernetes` holds the range', method: 'GET', path: `${NET}/servicecidrs/kubernetes` },
  { title: 'the kubernetes Service’s ClusterIP is an IPAddress', method: 'GET', path: `${NET}/ipaddresses/10.0.0.1` },
  { title: 'ServiceCIDRs as a Table', method: 'GET', path: `${NET}/servicecidrs`, headers: TABLE, part: tableShape },
  { title: 'IPAddresses as a Table', method: 'GET', path: `${NET}/ipaddresses/10.0.0.1`, headers: TABLE, part: tableShape },
  post('a user’s IPAddress is created', `${NET}/ipaddresses`, ipAddress('10.1.2.3')),
  post(
    'an IPv6 IPAddress in canonical form is created',
    `${NET}/ipaddresses`,
    ipAddress('2001:db8::5', { group: 'example.com', resource: 'gateways', name: 'gw' }),
  ),
  {
    title: 'both as a Table',
    method: 'GET',
    path: `${NET}/ipaddresses?labelSelector=!ipaddress.kubernetes.io/managed-by`,
    headers: TABLE,
    part: tableShape,
  },
  post('generateName is the name itself', `${NET}/ipaddresses`, {
    ...ipAddress(''),
    metadata: { generateName: '10.1.2.8' },
  }),
  post('generateName naming a taken address', `${NET}/ipaddresses`, {
    ...ipAddress(''),
    metadata: { generateName: '10.1.2.8' },
  }),
  post('a name that is no IP is refused', `${NET}/ipaddresses`, ipAddress('not-an-ip')),
  post('a non-canonical IPv6 name is refused', `${NET}/ipaddresses`, ipAddress('2001:DB8:0::5')),
  post('a name with leading zeros is refused', `${NET}/ipaddresses`, ipAddress('10.01.2.3')),
  post('an IPAddress without parentRef is refused', `${NET}/ipaddresses`, ipAddress('10.1.2.4', undefined)),
  post('an empty parentRef names what it needs', `${NET}/ipaddresses`, ipAddress('10.1.2.5', {})),
  post(
    'a parentRef with a bad group, resource, namespace and name is refused',
    `${NET}/ipaddresses`,
    ipAddress('10.1.2.6', { group: 'Bad_Group', resource: 'a/b', namespace: '..', name: '%x' }),
  ),
  merge('parentRef is immutable', `${NET}/ipaddresses/10.1.2.3`, {
    spec: { parentRef: { resource: 'services', namespace: 'default', name: 'y' } },
  }),
  merge('labels may change', `${NET}/ipaddresses/10.1.2.3`, { metadata: { labels: { a: 'b' } } }),
  post('a user’s ServiceCIDR is created', `${NET}/servicecidrs`, serviceCIDR('extra', ['10.2.0.0/24'])),
  post('a ServiceCIDR keeps the status it is created with', `${NET}/servicecidrs`, {
    ...serviceCIDR('with-status', ['10.3.0.0/24']),
    status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'R', message: 'm' }] },
  }),
  post('a ServiceCIDR without CIDRs is refused', `${NET}/servicecidrs`, serviceCIDR('none', undefined)),
  post('three CIDRs are refused', `${NET}/servicecidrs`, serviceCIDR('three', ['10.4.0.0/24', '10.5.0.0/24', 'fd00::/64'])),
  post('two IPv4 CIDRs are refused', `${NET}/servicecidrs`, serviceCIDR('two4', ['10.4.0.0/24', '10.5.0.0/24'])),
  post('bad and non-canonical CIDRs are refused', `${NET}/servicecidrs`, serviceCIDR('badcidr', ['10.4.0.1/24', 'FD00::/64'])),
  post('a CIDR that does not parse is refused', `${NET}/servicecidrs`, serviceCIDR('junk', ['junk'])),
  post('a bad ServiceCIDR name is refused', `${NET}/servicecidrs`, serviceCIDR('Bad_Name', ['10.6.0.0/24'])),
  merge('a CIDR cannot change', `${NET}/servicecidrs/extra`, { spec: { cidrs: ['10.7.0.0/24'] } }),
  merge('a second CIDR of the other family may be added', `${NET}/servicecidrs/extra`, { spec: { cidrs: ['10.2.0.0/24', 'fd00:1::/64'] } }),
  merge('the CIDRs cannot shrink', `${NET}/servicecidrs/extra`, { spec: { cidrs: ['10.2.0.0/24'] } }),
  {
    title: '/status changes the status and keeps the spec',
    method: 'PATCH',
    path: `${NET}/servicecidrs/with-status/status`,
    headers: MERGE,
    body: {
      spec: { cidrs: ['10.9.0.0/24'] },
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-02T00:00:00Z', reason: 'Ok', message: 'ok' }] },
    },
  },
  { title: 'ServiceCIDRs listed as a Table', method: 'GET', path: `${NET}/servicecidrs`, headers: TABLE, part: tableShape },
  { title: 'an IPAddress goes', method: 'DELETE', path: `${NET}/ipaddresses/10.1.2.3` },
  { title: 'a ServiceCIDR goes', method: 'DELETE', path: `${NET}/servicecidrs/extra` },
];

/** The answer with what differs by design masked; JSON text, so field order counts too. */
async function answer(request: Requester, step: Step): Promise<{ status: number; body: string }> {
  const res = await request(step.method, step.path, { body: step.body, headers: step.headers });
  return { status: res.status, body: JSON.stringify(normalise(step.part ? step.part(res.body) : res.body)) };
}

if (!referenceBinary()) {
  console.log(`networking IPAddress differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: networking.k8s.io IPAddresses and ServiceCIDRs as kube-apiserver serves them', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      [kube, kgate] = await Promise.all([startReference(), startKgate({ flags: ['--service-cluster-ip-range=10.0.0.0/24'] })]);
      // The reference's default ServiceCIDR and kubernetes Service come from its start-up controllers, a moment later.
      const deadline = Date.now() + 120_000;
      for (;;) {
        const r = await kube.request('GET', `${NET}/ipaddresses/10.0.0.1`);
        if (r.status === 200) break;
        if (Date.now() > deadline) throw new Error(`the reference never allocated 10.0.0.1: ${r.text}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
    });
    for (const step of STEPS) {
      it(step.title, async () => {
        const want = await answer(kube!.request, step);
        const got = await answer(kgate!.request, step);
        assert.deepEqual(got, want);
      });
    }
  });
}
