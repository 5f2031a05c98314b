// CertificateSigningRequests beside the reference kube-apiserver: the same bodies (real requests made once here) sent
// to both, through create, approval, denial, /status and the main resource, by the admin and by a user whose grants
// change on the way. Refusals must match in code, reason, message and details (validation 422s, admission 403s);
// successes in the fields the server decides (the recorded requester, the conditions without their timestamps, the
// certificate, what a main-resource update keeps). Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import selfsigned from 'selfsigned';
import { makeCSR } from '../support/csr.js';
import type { HttpResponse, Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const tokens = [{ token: 'alice-token', user: 'alice', uid: 'alice-uid', groups: ['devs'] }];
const SIGNER = 'example.com/signer';

interface Step {
  title: string;
  method: string;
  path: string;
  as?: string;
  body?: () => object;
}

const request = makeCSR({ commonName: 'alice', organizations: ['devs'], keyType: 'rsa' }).request;
const badSignature = makeCSR({ commonName: 'x', corruptSignature: true }).request;
const masters = makeCSR({ commonName: 'eve', organizations: ['system:masters'] }).request;
/** base64 of a PEM CERTIFICATE REQUEST block around `der`, as spec.request carries it. */
const requestPem = (der: Buffer, type = 'CERTIFICATE REQUEST', headers = '') =>
  Buffer.from(`-----BEGIN ${type}-----\n${headers}${der.toString('base64')}\n-----END ${type}-----\n`).toString('base64');
const requestDer = Buffer.from(Buffer.from(request, 'base64').toString().split('-----')[2]!.replace(/\s/g, ''), 'base64');
let certificate = '';
let otherCertificate = '';

const csr = (name: string, spec: Record<string, unknown> = {}, status?: object) => ({
  apiVersion: 'certificates.k8s.io/v1',
  kind: 'CertificateSigningRequest',
  metadata: { name },
  spec: { request, signerName: SIGNER, usages: ['client auth'], ...spec },
  ...(status && { status }),
});
const condition = (type: string, status = 'True') => ({ type, status, reason: 'Test', message: `${type} by the test` });
const clusterRole = (name: string, rules: object[]) => ({ metadata: { name }, rules });
const bindAlice = (name: string, role: string) => ({
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
});

const STEPS: Step[] = [
  { title: 'admin creates a CSR', method: 'POST', path: CSRS, body: () => csr('a', { expirationSeconds: 3600 }) },
  { title: 'a request that is not PEM', method: 'POST', path: CSRS, body: () => csr('bad-pem', { request: 'bm90IGEgcGVt' }) },
  { title: 'a request whose signature does not verify', method: 'POST', path: CSRS, body: () => csr('bad-sig', { request: badSignature }) },
  {
    title: 'a PEM block of something else than DER',
    method: 'POST',
    path: CSRS,
    body: () => csr('garbage', { request: requestPem(Buffer.from('hello world')) }),
  },
  {
    title: 'a truncated request',
    method: 'POST',
    path: CSRS,
    body: () => csr('truncated', { request: requestPem(requestDer.subarray(0, 100)) }),
  },
  {
    title: 'a request with trailing data',
    method: 'POST',
    path: CSRS,
    body: () => csr('trailing', { request: requestPem(Buffer.concat([requestDer, Buffer.from([0, 0])])) }),
  },
  {
    title: 'a PEM block of another type',
    method: 'POST',
    path: CSRS,
    body: () => csr('cert-type', { request: requestPem(requestDer, 'CERTIFICATE') }),
  },
  {
    title: 'unknown and duplicate usages, a bad signer, a short duration',
    method: 'POST',
    path: CSRS,
    body: () => csr('bad-fields', { usages: ['client auth', 'client auth', 'bogus'], signerName: 'bad', expirationSeconds: 100 }),
  },
  { title: 'no usages, no signer', method: 'POST', path: CSRS, body: () => csr('empty', { usages: [], signerName: '' }) },
  { title: 'the legacy signer', method: 'POST', path: CSRS, body: () => csr('legacy', { signerName: 'kubernetes.io/legacy-unknown' }) },
  {
    title: 'signer domains: bad labels and one segment',
    method: 'POST',
    path: CSRS,
    body: () => csr('domain', { signerName: 'Example_com/x' }),
  },
  { title: 'a signer domain without a dot', method: 'POST', path: CSRS, body: () => csr('nodot', { signerName: 'example/x' }) },
  { title: 'a signer path that is no subdomain', method: 'POST', path: CSRS, body: () => csr('path', { signerName: 'example.com/X_y' }) },
  { title: 'a bad name with a valid spec', method: 'POST', path: CSRS, body: () => csr('a/b') },
  {
    title: 'conditions on create: both Approved and Denied, a False Approved, duplicates',
    method: 'POST',
    path: CSRS,
    body: () =>
      csr(
        'conds',
        {},
        { conditions: [condition('Approved'), condition('Denied'), condition('Failed', 'False'), condition('X'), condition('X')] },
      ),
  },
  {
    title: 'kube-apiserver-client may not issue system:masters',
    method: 'POST',
    path: CSRS,
    body: () => csr('eve', { request: masters, signerName: 'kubernetes.io/kube-apiserver-client' }),
  },
  { title: 'admin reads the CSR back', method: 'GET', path: `${CSRS}/a` },
  {
    title: 'a main-resource update keeps spec and status',
    method: 'PUT',
    path: `${CSRS}/a`,
    body: () => ({
      ...csr('a', { signerName: 'example.com/other', usages: ['server auth'] }, { conditions: [condition('Approved')] }),
      metadata: { name: 'a', labels: { x: 'y' } },
    }),
  },
  {
    title: '/status may not add Approved',
    method: 'PUT',
    path: `${CSRS}/a/status`,
    body: () => csr('a', {}, { conditions: [condition('Approved')] }),
  },
  {
    title: '/approval with both Approved and Denied',
    method: 'PUT',
    path: `${CSRS}/a/approval`,
    body: () => csr('a', {}, { conditions: [condition('Approved'), condition('Denied')] }),
  },
  { title: 'admin approves', method: 'PUT', path: `${CSRS}/a/approval`, body: () => csr('a', {}, { conditions: [condition('Approved')] }) },
  { title: '/approval may not remove Approved', method: 'PUT', path: `${CSRS}/a/approval`, body: () => csr('a', {}, { conditions: [] }) },
  {
    title: '/status with something that is no certificate',
    method: 'PUT',
    path: `${CSRS}/a/status`,
    body: () => csr('a', {}, { conditions: [condition('Approved')], certificate: 'bm90IGEgY2VydA==' }),
  },
  {
    title: '/status with a PEM block that is no CERTIFICATE',
    method: 'PUT',
    path: `${CSRS}/a/status`,
    body: () => csr('a', {}, { conditions: [condition('Approved')], certificate: requestPem(requestDer) }),
  },
  {
    title: '/status with a CERTIFICATE block with headers',
    method: 'PUT',
    path: `${CSRS}/a/status`,
    body: () =>
      csr('a', {}, { conditions: [condition('Approved')], certificate: requestPem(requestDer, 'CERTIFICATE', 'Proc-Type: 4\n\n') }),
  },
  {
    title: '/status with a CERTIFICATE block that does not parse',
    method: 'PUT',
    path: `${CSRS}/a/status`,
    body: () => csr('a', {}, { conditions: [condition('Approved')], certificate: requestPem(Buffer.from('hello world'), 'CERTIFICATE') }),
  },
  {
    title: 'a main-resource update may not set the certificate (it is dropped)',
    method: 'PUT',
    path: `${CSRS}/a`,
    body: () => csr('a', {}, { conditions: [condition('Approved')], certificate }),
  },
  {
    title: 'admin issues the certificate through /status',
    method: 'PUT',
    path: `${CSRS}/a/status`,
    body: () => csr('a', {}, { conditions: [condition('Approved')], certificate }),
  },
  {
    title: '/status may not replace an issued certificate',
    method: 'PUT',
    path: `${CSRS}/a/status`,
    body: () => csr('a', {}, { conditions: [condition('Approved')], certificate: otherCertificate }),
  },
  { title: 'admin creates a second CSR', method: 'POST', path: CSRS, body: () => csr('b') },
  { title: 'admin denies it', method: 'PUT', path: `${CSRS}/b/approval`, body: () => csr('b', {}, { conditions: [condition('Denied')] }) },
  {
    title: 'a Failed condition through /status',
    method: 'PUT',
    path: `${CSRS}/b/status`,
    body: () => csr('b', {}, { conditions: [condition('Denied'), condition('Failed')] }),
  },
  { title: 'listing by signer', method: 'GET', path: `${CSRS}?fieldSelector=spec.signerName%3D${encodeURIComponent(SIGNER)}` },
  { title: 'an unknown field label', method: 'GET', path: `${CSRS}?fieldSelector=spec.username%3Dalice` },
  // A user: alice may create CSRs and write /approval and /status, but holds no signer.
  {
    title: 'admin lets alice write CSRs and their subresources',
    method: 'POST',
    path: `${RBAC}/clusterroles`,
    body: () =>
      clusterRole('csr-writer', [
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', 'get'] },
        {
          apiGroups: ['certificates.k8s.io'],
          resources: ['certificatesigningrequests/approval', 'certificatesigningrequests/status'],
          verbs: ['update'],
        },
      ]),
  },
  {
    title: 'admin binds it to alice',
    method: 'POST',
    path: `${RBAC}/clusterrolebindings`,
    body: () => bindAlice('alice-csr', 'csr-writer'),
  },
  {
    title: 'alice creates a CSR: she is the requester, whatever the body says',
    method: 'POST',
    path: CSRS,
    as: 'alice-token',
    body: () => csr('c', { username: 'mallory', groups: ['system:masters'], uid: 'm', extra: { k: ['v'] } }),
  },
  {
    title: 'alice may not approve without approve on the signer',
    method: 'PUT',
    path: `${CSRS}/c/approval`,
    as: 'alice-token',
    body: () => csr('c', {}, { conditions: [condition('Approved')] }),
  },
  {
    title: 'alice may not add a Failed condition without sign on the signer',
    method: 'PUT',
    path: `${CSRS}/c/status`,
    as: 'alice-token',
    body: () => csr('c', {}, { conditions: [condition('Failed')] }),
  },
  {
    title: 'a /status write that changes nothing needs no signer permission',
    method: 'PUT',
    path: `${CSRS}/c/status`,
    as: 'alice-token',
    body: () => csr('c'),
  },
  {
    title: 'admin grants approve on every example.com signer',
    method: 'POST',
    path: `${RBAC}/clusterroles`,
    body: () =>
      clusterRole('example-approver', [
        { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], resourceNames: ['example.com/*'] },
      ]),
  },
  {
    title: 'admin binds the approver role to alice',
    method: 'POST',
    path: `${RBAC}/clusterrolebindings`,
    body: () => bindAlice('alice-approves', 'example-approver'),
  },
  {
    title: 'with the wildcard, alice approves',
    method: 'PUT',
    path: `${CSRS}/c/approval`,
    as: 'alice-token',
    body: () => csr('c', {}, { conditions: [condition('Approved')] }),
  },
  {
    title: 'alice still may not issue the certificate',
    method: 'PUT',
    path: `${CSRS}/c/status`,
    as: 'alice-token',
    body: () => csr('c', {}, { conditions: [condition('Approved')], certificate }),
  },
  {
    title: 'alice may not approve for another domain',
    method: 'POST',
    path: CSRS,
    as: 'alice-token',
    body: () => csr('d', { signerName: 'other.io/signer' }),
  },
  {
    title: 'the refusal names the stored signer',
    method: 'PUT',
    path: `${CSRS}/d/approval`,
    as: 'alice-token',
    body: () => csr('d', { signerName: SIGNER }, { conditions: [condition('Approved')] }),
  },
];

/** What the server decides in a CSR (timestamps, uids and resourceVersions differ between servers). */
function csrFacts(obj: any) {
  return {
    name: obj.metadata?.name,
    labels: obj.metadata?.labels,
    // The request is the body's (the same on both); leaving it out keeps failure diffs readable.
    spec: { ...obj.spec, request: obj.spec?.request === request ? 'the request sent' : obj.spec?.request },
    status: {
      ...obj.status,
      conditions: obj.status?.conditions?.map((c: any) => {
        assert.ok(c.lastUpdateTime && c.lastTransitionTime, 'conditions are stamped');
        return { ...c, lastUpdateTime: 'set', lastTransitionTime: 'set' };
      }),
    },
  };
}

function summary(res: HttpResponse) {
  if (res.status >= 300) return { status: res.status, reason: res.body?.reason, message: res.body?.message, details: res.body?.details };
  if (res.body?.kind === 'CertificateSigningRequest') return { status: res.status, csr: csrFacts(res.body) };
  if (res.body?.kind === 'CertificateSigningRequestList') return { status: res.status, items: res.body.items.map(csrFacts) };
  return { status: res.status };
}

async function run(request: Requester, step: Step) {
  return summary(await request(step.method, step.path, { ...(step.body && { body: step.body() }), ...(step.as && { token: step.as }) }));
}

if (!referenceBinary()) {
  console.log(`CSR differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: CertificateSigningRequests as kube-apiserver serves them', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      const [one, two] = await Promise.all([
        selfsigned.generate([{ name: 'commonName', value: 'alice' }], { keySize: 2048 }),
        selfsigned.generate([{ name: 'commonName', value: 'other' }], { keySize: 2048 }),
      ]);
      certificate = Buffer.from(one.cert).toString('base64');
      otherCertificate = Buffer.from(two.cert).toString('base64');
      [kube, kgate] = await Promise.all([startReference({ tokens }), startKgate({ tokens, flags: REFERENCE_ADMISSION_FLAGS })]);
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
    });
    for (const step of STEPS) {
      it(step.title, async () => {
        const want = await run(kube!.request, step);
        const got = await run(kgate!.request, step);
        // The admin's name differs between the two servers' token files.
        const same = (s: unknown) => JSON.parse(JSON.stringify(s).replaceAll('reference-admin', 'kgate-admin'));
        assert.deepEqual(same(got), same(want));
      });
    }
  });
}
