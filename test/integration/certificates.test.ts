// CertificateSigningRequests (certificates.k8s.io/v1) through real kubectl and plain HTTP: the flow of kubectl's own
// test script (kubernetes test/cmd/certificate.sh: create, approve and deny by name and by file, delete), the
// requester recorded from the authenticated user, the Table columns, /status with a certificate, kube's 422s for
// bad requests with nothing stored, and kube's admission: approving needs `approve` on the signer, issuing needs
// `sign`, and the kube-apiserver-client signer refuses system:masters.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import selfsigned from 'selfsigned';
import { stringify } from 'yaml';
import { makeCSR } from '../support/csr.js';
import { startKgate, type Kgate } from '../support/kgate.js';

const execFileAsync = promisify(execFile);
const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const ALICE = 'alice-token';
const tokens = [{ token: ALICE, user: 'alice', uid: 'alice-uid', groups: ['devs'] }];
const SIGNER = 'example.com/test-signer';

const csrObject = (name: string, request: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'certificates.k8s.io/v1',
  kind: 'CertificateSigningRequest',
  metadata: { name },
  spec: { request, signerName: SIGNER, usages: ['digital signature', 'key encipherment', 'client auth'], ...spec },
});

describe('CertificateSigningRequests', function () {
  this.timeout(180_000);
  let kg: Kgate;
  let dir: string;
  let manifest: string;
  const request = makeCSR({ commonName: 'kube-admin', keyType: 'rsa' }).request;

  const conditionTypes = async (name: string) =>
    (await kg.kubectl(['get', `csr/${name}`, '-o', 'go-template={{range .status.conditions}}{{.type}}{{end}}'])).stdout;
  const names = async () => (await kg.kubectl(['get', 'csr', '-o', 'go-template={{range .items}}{{.metadata.name}}{{end}}'])).stdout;

  before(async () => {
    kg = await startKgate({ tokens });
    dir = await mkdtemp(join(tmpdir(), 'kgate-csr-'));
    // hack/testdata/csr.yml's shape, with a request made here.
    manifest = join(dir, 'csr.yml');
    await writeFile(manifest, stringify(csrObject('foo', request, { signerName: 'kubernetes.io/kube-apiserver-client' })));
  });
  after(async () => {
    await kg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('certificate.sh: create, approve by name, delete; approve by file; deny by name and by file', async () => {
    for (const [verb, how, want] of [
      ['approve', 'name', 'Approved'],
      ['approve', 'file', 'Approved'],
      ['deny', 'name', 'Denied'],
      ['deny', 'file', 'Denied'],
    ] as const) {
      await kg.kubectl(['create', '-f', manifest]);
      assert.equal(await conditionTypes('foo'), '');
      const out = await kg.kubectl(['certificate', verb, ...(how === 'name' ? ['foo'] : ['-f', manifest])]);
      assert.equal(out.stdout.trim(), `certificatesigningrequest.certificates.k8s.io/foo ${verb === 'approve' ? 'approved' : 'denied'}`);
      const json = JSON.parse((await kg.kubectl(['get', 'csr', '-o', 'json'])).stdout);
      assert.equal(json.items.length, 1);
      assert.equal(await conditionTypes('foo'), want);
      const condition = json.items[0].status.conditions[0];
      assert.equal(condition.status, 'True');
      assert.equal(condition.reason, verb === 'approve' ? 'KubectlApprove' : 'KubectlDeny');
      assert.ok(condition.lastUpdateTime && condition.lastTransitionTime, 'the server stamps the condition');
      await kg.kubectl(['delete', '-f', manifest]);
      assert.equal(await names(), '');
    }
  });

  it('kubectl get prints kube’s columns, describe shows the request, and the object is stored under its key', async () => {
    await kg.kubectl(['create', '-f', manifest]);
    const table = (await kg.kubectl(['get', 'csr'])).stdout.split('\n');
    assert.match(table[0]!, /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION$/);
    assert.match(table[1]!, /^foo\s+\d+s\s+kubernetes\.io\/kube-apiserver-client\s+kgate-admin\s+<none>\s+Pending$/);
    const described = (await kg.kubectl(['describe', 'csr', 'foo', '--chunk-size=10'])).stdout;
    assert.match(described, /Requesting User:\s+kgate-admin/);
    assert.match(described, /Signer:\s+kubernetes\.io\/kube-apiserver-client/);
    assert.match(described, /Status:\s+Pending/);
    assert.match(described, /Common Name:\s+kube-admin/);
    const { stdout } = await execFileAsync('etcdctl', [
      '--endpoints',
      kg.etcd.endpoint,
      'get',
      '/registry/certificatesigningrequests/foo',
      '--print-value-only',
    ]);
    const stored = JSON.parse(stdout);
    assert.equal(stored.kind, 'CertificateSigningRequest');
    assert.equal(stored.spec.username, 'kgate-admin');
    await kg.kubectl(['delete', 'csr', 'foo']);
  });

  it('the requester is who sent the create, whatever the body says; status starts empty', async () => {
    // alice may create and read CSRs (and nothing else).
    await kg.kubectl(['create', 'clusterrole', 'csr-creator', '--verb=create,get,list', '--resource=certificatesigningrequests']);
    await kg.kubectl(['create', 'clusterrolebinding', 'alice-csr', '--clusterrole=csr-creator', '--user=alice']);
    const body = {
      ...csrObject('alice-1', request, {
        username: 'mallory',
        uid: 'x',
        groups: ['system:masters'],
        extra: { a: ['b'] },
        expirationSeconds: 3600,
      }),
      status: { conditions: [{ type: 'Approved', status: 'True' }] },
    };
    const res = await kg.request('POST', CSRS, { token: ALICE, body });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.spec.username, 'alice');
    assert.equal(res.body.spec.uid, 'alice-uid');
    assert.deepEqual(res.body.spec.groups, ['devs', 'system:authenticated']);
    assert.equal(res.body.spec.extra, undefined);
    assert.deepEqual(res.body.status, {});
    // The strategy resets spec and status on the main resource, so the creator owns no field (kube's GetResetFields).
    assert.equal(res.body.metadata.managedFields, undefined);
    const row = (await kg.kubectl(['get', 'csr', 'alice-1', '--no-headers'])).stdout;
    assert.match(row, /^alice-1\s+\d+s\s+example\.com\/test-signer\s+alice\s+60m\s+Pending\n$/);
  });

  it('a main-resource update changes only metadata; /status issues a certificate', async () => {
    const got = await kg.request('GET', `${CSRS}/alice-1`);
    const edited = structuredClone(got.body);
    edited.metadata.labels = { team: 'a' };
    edited.spec.signerName = 'example.com/other';
    edited.status = { conditions: [{ type: 'Approved', status: 'True' }] };
    const put = await kg.request('PUT', `${CSRS}/alice-1`, { body: edited });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body.metadata.labels, { team: 'a' });
    assert.equal(put.body.spec.signerName, SIGNER);
    assert.deepEqual(put.body.status, {});

    await kg.kubectl(['certificate', 'approve', 'alice-1']);
    const ca = await selfsigned.generate([{ name: 'commonName', value: 'alice' }], { keySize: 2048 });
    const withCert = (await kg.request('GET', `${CSRS}/alice-1`)).body;
    withCert.status.certificate = Buffer.from(ca.cert).toString('base64');
    const status = await kg.request('PUT', `${CSRS}/alice-1/status`, { body: withCert });
    assert.equal(status.status, 200, status.text);
    assert.equal(Buffer.from(status.body.status.certificate, 'base64').toString(), ca.cert);
    const row = (await kg.kubectl(['get', 'csr', 'alice-1', '--no-headers'])).stdout;
    assert.match(row, /\sApproved,Issued\n$/);
    // kubectl's documented way to read the certificate back.
    const issued = (await kg.kubectl(['get', 'csr', 'alice-1', '-o', 'jsonpath={.status.certificate}'])).stdout;
    assert.equal(Buffer.from(issued, 'base64').toString(), ca.cert);

    const issuedCSR = (await kg.request('GET', `${CSRS}/alice-1`)).body;
    issuedCSR.status.certificate = Buffer.from(kg.ca).toString('base64');
    const again = await kg.request('PUT', `${CSRS}/alice-1/status`, { body: issuedCSR });
    assert.equal(again.status, 422);
    assert.equal(
      again.body.message,
      'CertificateSigningRequest.certificates.k8s.io "alice-1" is invalid: status.certificate: Forbidden: updates may not modify existing certificate content',
    );
  });

  it('the field selector spec.signerName picks requests by signer', async () => {
    await kg.kubectl(['create', '-f', manifest]);
    const picked = await kg.kubectl(['get', 'csr', '--field-selector', `spec.signerName=${SIGNER}`, '-o', 'name']);
    assert.equal(picked.stdout, 'certificatesigningrequest.certificates.k8s.io/alice-1\n');
    const other = await kg.kubectl(['get', 'csr', '--field-selector', 'spec.signerName!=example.com/test-signer', '-o', 'name']);
    assert.equal(other.stdout, 'certificatesigningrequest.certificates.k8s.io/foo\n');
    await kg.kubectl(['delete', 'csr', 'foo']);
  });

  it('bad requests are kube’s 422 and nothing is stored', async () => {
    const cases: [string, object, string][] = [
      [
        'bad-pem',
        csrObject('bad-pem', Buffer.from('not a pem').toString('base64')),
        'spec.request: Invalid value: "bm90IGEgcGVt": PEM block type must be CERTIFICATE REQUEST',
      ],
      ['bad-sig', csrObject('bad-sig', makeCSR({ commonName: 'x', corruptSignature: true }).request), 'spec.request: Invalid value: '],
      [
        'bad-fields',
        csrObject('bad-fields', request, { usages: ['client auth', 'client auth', 'bogus'], signerName: 'bad', expirationSeconds: 599 }),
        'spec.usages[1]: Duplicate value: "client auth", spec.signerName: Invalid value: "bad": must be a fully qualified domain and path of the form \'example.com/signer-name\', spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)]',
      ],
      [
        'legacy',
        csrObject('legacy', request, { signerName: 'kubernetes.io/legacy-unknown' }),
        'spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version',
      ],
      [
        'empty',
        csrObject('empty', request, { usages: [], signerName: '' }),
        '[spec.usages: Required value, spec.signerName: Required value]',
      ],
    ];
    for (const [name, body, message] of cases) {
      const res = await kg.request('POST', CSRS, { body });
      assert.equal(res.status, 422, `${name}: ${res.text}`);
      assert.equal(res.body.reason, 'Invalid');
      assert.deepEqual(res.body.details.group, 'certificates.k8s.io');
      assert.ok(res.body.message.includes(message), `${name}: ${res.body.message}`);
      assert.equal((await kg.request('GET', `${CSRS}/${name}`)).status, 404);
    }
    const sig = await kg.request('POST', CSRS, { body: cases[1]![1] });
    assert.match(sig.body.message, /: x509: ECDSA verification failure$/);
  });

  it('approving needs approve on the signer (or its domain’s wildcard), issuing needs sign: 403 otherwise', async () => {
    await kg.kubectl([
      'create',
      'clusterrole',
      'csr-approver',
      '--verb=update',
      '--resource=certificatesigningrequests/approval,certificatesigningrequests/status',
    ]);
    await kg.kubectl(['create', 'clusterrolebinding', 'alice-approves', '--clusterrole=csr-approver', '--user=alice']);
    const res = await kg.request('POST', CSRS, { token: ALICE, body: csrObject('alice-2', request) });
    assert.equal(res.status, 201, res.text);

    const aliceConfig = join(dir, 'alice.kubeconfig');
    const { stdout: view } = await kg.kubectl(['config', 'view', '--raw', '-o', 'json']);
    const cfg = JSON.parse(view);
    cfg.users[0].user = { token: ALICE };
    await writeFile(aliceConfig, JSON.stringify(cfg));
    const refused = await kg.kubectl(['--kubeconfig', aliceConfig, 'certificate', 'approve', 'alice-2'], { allowFail: true });
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /certificatesigningrequests\.certificates\.k8s\.io "alice-2" is forbidden: user not permitted to approve requests with signerName "example\.com\/test-signer"/,
    );
    assert.equal(await conditionTypes('alice-2'), '');

    // signers are no served resource, so kubectl's `create clusterrole` would refuse the name: apply the role.
    await kg.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'example-approver' },
        rules: [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], resourceNames: ['example.com/*'] }],
      }),
    });
    await kg.kubectl(['create', 'clusterrolebinding', 'alice-example', '--clusterrole=example-approver', '--user=alice']);
    await kg.kubectl(['--kubeconfig', aliceConfig, 'certificate', 'approve', 'alice-2']);
    assert.equal(await conditionTypes('alice-2'), 'Approved');

    const current = (await kg.request('GET', `${CSRS}/alice-2`)).body;
    current.status.certificate = Buffer.from(kg.ca).toString('base64');
    const sign = await kg.request('PUT', `${CSRS}/alice-2/status`, { token: ALICE, body: current });
    assert.equal(sign.status, 403);
    assert.equal(
      sign.body.message,
      'certificatesigningrequests.certificates.k8s.io "alice-2" is forbidden: user not permitted to sign requests with signerName "example.com/test-signer"',
    );
    assert.equal((await kg.request('GET', `${CSRS}/alice-2`)).body.status.certificate, undefined);
  });

  it('the kube-apiserver-client signer refuses a request for system:masters (403)', async () => {
    const masters = makeCSR({ commonName: 'eve', organizations: ['system:masters'] }).request;
    const res = await kg.request('POST', CSRS, {
      body: csrObject('eve', masters, { signerName: 'kubernetes.io/kube-apiserver-client' }),
    });
    assert.equal(res.status, 403);
    assert.equal(
      res.body.message,
      'certificatesigningrequests.certificates.k8s.io "eve" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
    );
    assert.equal((await kg.request('GET', `${CSRS}/eve`)).status, 404);
    const other = await kg.request('POST', CSRS, { body: csrObject('eve', masters) });
    assert.equal(other.status, 201, 'another signer may be asked for any subject');
  });
});
