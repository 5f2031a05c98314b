// Who may do what: the executable spec of kgate's authentication and authorization. A matrix of users (a static
// token user, an X.509 client-certificate user, a ServiceAccount token user, anonymous) × verbs × targets
// (namespaced and cluster-scoped resources, subresources, a resourceName, non-resource URLs) with the expected
// allow or deny in each cell, given by grants made with kubectl (Roles and ClusterRoles bound to a user, a group,
// system:serviceaccounts:<ns> and system:authenticated). Each cell is checked three ways that must agree: the
// HTTP status of the real request (200/201 or 403; anonymous with --anonymous-auth=false: 401), `kubectl auth
// can-i` with the user's own credentials, and `kubectl auth can-i --as/--as-group` from the admin. `kubectl auth
// whoami` prints each user's name and groups. The policy semantics follow kube's RBAC authorizer
// (plugin/pkg/auth/authorizer/rbac/rbac.go) and bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { parse, stringify } from 'yaml';
import { startKgate, type ClientResult, type Kgate } from '../support/kgate.js';

const NS = 'matrix';
const NSPATH = `/api/v1/namespaces/${NS}`;

/**
 * The spec. One row per target and verb; one column per user type: Y allowed, N denied, ? not yet a user type
 * (OIDC and webhook-authenticated users: when their authenticators land, define the user in SUBJECTS below — its
 * credentials, name and groups — add its grants to GRANTS, and replace its ?s with Y/N). Anonymous with
 * --anonymous-auth=false is not a column: every cell is 401 for it.
 *
 * The users and what they hold (GRANTS):
 *   token      tara, groups [matrix-devs]; Role pod-reader (get/list/watch pods) and Role ns-self (get namespaces in
 *              its own namespace) bound to the user, Role cm-named (get/update/patch/delete configmaps named cm-named)
 *              bound to the group matrix-devs
 *   cert       carl (CN), O=matrix-ops; ClusterRole storage-admin (every verb on storageclasses) bound to the group
 *              matrix-ops, Role subresource-writer (get/update/patch pods/status and deployments/scale) to the user
 *   sa         system:serviceaccount:matrix:robot, a `kubectl create token` token; Role cm-editor (every verb on
 *              configmaps) bound to system:serviceaccounts:matrix, Role pod-writer (writes but no reads on pods)
 *              bound to the ServiceAccount
 *   anonymous  system:anonymous in system:unauthenticated; ClusterRole sc-viewer (get/list storageclasses) bound to
 *              system:unauthenticated; otherwise only kube's defaults (system:public-info-viewer: health, /version)
 *   everyone authenticated: ClusterRole metrics-reader (GET /metrics) bound to system:authenticated, and kube's
 *              default system:discovery (/api, /apis, ...)
 */
const MATRIX = `
  target               verb              token cert sa  anonymous  oidc webhook
  pods                 get               Y     N    N   N          ?    ?
  pods                 list              Y     N    N   N          ?    ?
  pods                 watch             Y     N    N   N          ?    ?
  pods                 create            N     N    Y   N          ?    ?
  pods                 update            N     N    Y   N          ?    ?
  pods                 patch             N     N    Y   N          ?    ?
  pods                 delete            N     N    Y   N          ?    ?
  pods                 deletecollection  N     N    Y   N          ?    ?
  pods/status          get               N     Y    N   N          ?    ?
  pods/status          update            N     Y    N   N          ?    ?
  pods/status          patch             N     Y    N   N          ?    ?
  deployments/scale    get               N     Y    N   N          ?    ?
  deployments/scale    update            N     Y    N   N          ?    ?
  deployments/scale    patch             N     Y    N   N          ?    ?
  configmaps           get               N     N    Y   N          ?    ?
  configmaps           list              N     N    Y   N          ?    ?
  configmaps           watch             N     N    Y   N          ?    ?
  configmaps           create            N     N    Y   N          ?    ?
  configmaps           update            N     N    Y   N          ?    ?
  configmaps           patch             N     N    Y   N          ?    ?
  configmaps           delete            N     N    Y   N          ?    ?
  configmaps           deletecollection  N     N    Y   N          ?    ?
  configmaps/cm-named  get               Y     N    Y   N          ?    ?
  configmaps/cm-named  update            Y     N    Y   N          ?    ?
  configmaps/cm-named  patch             Y     N    Y   N          ?    ?
  configmaps/cm-named  delete            Y     N    Y   N          ?    ?
  storageclasses       get               N     Y    N   Y          ?    ?
  storageclasses       list              N     Y    N   Y          ?    ?
  storageclasses       watch             N     Y    N   N          ?    ?
  storageclasses       create            N     Y    N   N          ?    ?
  storageclasses       update            N     Y    N   N          ?    ?
  storageclasses       patch             N     Y    N   N          ?    ?
  storageclasses       delete            N     Y    N   N          ?    ?
  storageclasses       deletecollection  N     Y    N   N          ?    ?
  namespaces/matrix    get               Y     N    N   N          ?    ?
  /healthz             get               Y     Y    Y   Y          ?    ?
  /version             get               Y     Y    Y   Y          ?    ?
  /api                 get               Y     Y    Y   N          ?    ?
  /metrics             get               Y     Y    Y   N          ?    ?
`;

/** The grants behind the matrix, made as a cluster admin would make them. */
const GRANTS: string[][] = [
  ['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods', '-n', NS],
  ['create', 'rolebinding', 'tara-reads-pods', '--role=pod-reader', '--user=tara', '-n', NS],
  ['create', 'role', 'ns-self', '--verb=get', '--resource=namespaces', '-n', NS],
  ['create', 'rolebinding', 'tara-reads-ns', '--role=ns-self', '--user=tara', '-n', NS],
  ['create', 'role', 'cm-named', '--verb=get,update,patch,delete', '--resource=configmaps', '--resource-name=cm-named', '-n', NS],
  ['create', 'rolebinding', 'devs-cm-named', '--role=cm-named', '--group=matrix-devs', '-n', NS],
  [
    'create',
    'clusterrole',
    'storage-admin',
    '--verb=get,list,watch,create,update,patch,delete,deletecollection',
    '--resource=storageclasses',
  ],
  ['create', 'clusterrolebinding', 'ops-storage', '--clusterrole=storage-admin', '--group=matrix-ops'],
  ['create', 'role', 'subresource-writer', '--verb=get,update,patch', '--resource=pods/status,deployments.apps/scale', '-n', NS],
  ['create', 'rolebinding', 'carl-subresources', '--role=subresource-writer', '--user=carl', '-n', NS],
  ['create', 'role', 'cm-editor', '--verb=get,list,watch,create,update,patch,delete,deletecollection', '--resource=configmaps', '-n', NS],
  ['create', 'rolebinding', 'sas-edit-cms', '--role=cm-editor', `--group=system:serviceaccounts:${NS}`, '-n', NS],
  ['create', 'role', 'pod-writer', '--verb=create,update,patch,delete,deletecollection', '--resource=pods', '-n', NS],
  ['create', 'rolebinding', 'robot-writes-pods', '--role=pod-writer', `--serviceaccount=${NS}:robot`, '-n', NS],
  ['create', 'clusterrole', 'metrics-reader', '--verb=get', '--non-resource-url=/metrics'],
  ['create', 'clusterrolebinding', 'authenticated-metrics', '--clusterrole=metrics-reader', '--group=system:authenticated'],
  ['create', 'clusterrole', 'sc-viewer', '--verb=get,list', '--resource=storageclasses'],
  ['create', 'clusterrolebinding', 'unauthenticated-sc', '--clusterrole=sc-viewer', '--group=system:unauthenticated'],
];

type Column = 'token' | 'cert' | 'sa' | 'anonymous' | 'oidc' | 'webhook';
type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

interface Row {
  target: string;
  verb: Verb;
  expect: Record<Column, 'Y' | 'N' | '?'>;
}

/** Parses MATRIX by its header, so a column can be added without touching the code that reads it. */
function parseMatrix(text: string): Row[] {
  const [header, ...lines] = text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  return lines.map((cells) => {
    assert.equal(cells.length, header.length, `matrix row ${cells.join(' ')}: ${cells.length} cells for ${header.length} columns`);
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    const expect = {} as Row['expect'];
    for (const h of header.slice(2)) {
      assert.ok(['Y', 'N', '?'].includes(row[h]), `matrix cell ${row.target} ${row.verb} ${h}: ${row[h]}`);
      expect[h as Column] = row[h] as 'Y' | 'N' | '?';
    }
    return { target: row.target, verb: row.verb as Verb, expect };
  });
}

/** How a user authenticates, over HTTP and with kubectl, and who the server says it is. */
interface Subject {
  name: string;
  groups: string[];
  /** Bearer token, or client certificate, or neither (anonymous). */
  http: { token?: string; cert?: string; key?: string };
  /** kubectl flags that authenticate as this user (a --token, or a --kubeconfig). */
  kubectl: string[];
  /** The admin's kubectl flags that impersonate this user. */
  as: string[];
}

/** A resource target: where it lives, how to make one, and what `kubectl auth can-i` calls it. */
interface ResourceTarget {
  canI: string[];
  /** The same question as a SubjectAccessReview's resourceAttributes (without the verb). */
  attrs: object;
  collection: string;
  make: (name: string, labels?: Record<string, string>) => object;
  /** The object get, update and patch act on (and delete too, for a resourceName target). */
  fixture: string;
  subresource?: string;
  /** A resourceName target: every verb addresses the fixture. */
  byName?: boolean;
  /** Applied by update to the object the admin read. */
  change: (obj: any) => any;
  patch: object;
}

interface PathTarget {
  canI: string[];
  attrs?: undefined;
  path: string;
  /** What an allowed GET answers: 200, except /metrics, which kgate does not serve yet (kube: 200). */
  allowedStatus: number;
}

const labelled = (obj: any) => ({ ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, touched: 'yes' } } });
const pod = (name: string, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(labels && { labels }) },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const configMap = (name: string, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels && { labels }) },
  data: { k: 'v' },
});
const storageClass = (name: string, labels?: Record<string, string>) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, ...(labels && { labels }) },
  provisioner: 'example.com/matrix',
});
const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});
const LABEL_PATCH = { metadata: { labels: { patched: 'yes' } } };

const TARGETS: Record<string, ResourceTarget | PathTarget> = {
  pods: {
    canI: ['pods', '-n', NS],
    attrs: { namespace: NS, resource: 'pods' },
    collection: `${NSPATH}/pods`,
    make: pod,
    fixture: 'p1',
    change: labelled,
    patch: LABEL_PATCH,
  },
  'pods/status': {
    canI: ['pods', '--subresource=status', '-n', NS],
    attrs: { namespace: NS, resource: 'pods', subresource: 'status' },
    collection: `${NSPATH}/pods`,
    make: pod,
    fixture: 'p1',
    subresource: 'status',
    change: (obj) => ({ ...obj, status: { ...obj.status, message: 'updated' } }),
    patch: { status: { message: 'patched' } },
  },
  'deployments/scale': {
    canI: ['deployments.apps', '--subresource=scale', '-n', NS],
    attrs: { namespace: NS, group: 'apps', resource: 'deployments', subresource: 'scale' },
    collection: `/apis/apps/v1/namespaces/${NS}/deployments`,
    make: deployment,
    fixture: 'web',
    subresource: 'scale',
    change: (obj) => ({ ...obj, spec: { replicas: obj.spec.replicas === 2 ? 3 : 2 } }),
    patch: { spec: { replicas: 1 } },
  },
  configmaps: {
    canI: ['configmaps', '-n', NS],
    attrs: { namespace: NS, resource: 'configmaps' },
    collection: `${NSPATH}/configmaps`,
    make: configMap,
    fixture: 'cm1',
    change: labelled,
    patch: LABEL_PATCH,
  },
  'configmaps/cm-named': {
    canI: ['configmaps/cm-named', '-n', NS],
    attrs: { namespace: NS, resource: 'configmaps', name: 'cm-named' },
    collection: `${NSPATH}/configmaps`,
    make: configMap,
    fixture: 'cm-named',
    byName: true,
    change: labelled,
    patch: LABEL_PATCH,
  },
  storageclasses: {
    canI: ['storageclasses'],
    attrs: { namespace: 'default', group: 'storage.k8s.io', resource: 'storageclasses' },
    collection: '/apis/storage.k8s.io/v1/storageclasses',
    make: storageClass,
    fixture: 'sc1',
    change: labelled,
    patch: LABEL_PATCH,
  },
  'namespaces/matrix': {
    canI: [`namespaces/${NS}`, '-n', NS],
    attrs: { namespace: NS, resource: 'namespaces', name: NS },
    collection: '/api/v1/namespaces',
    make: (name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
    fixture: NS,
    byName: true,
    change: labelled,
    patch: LABEL_PATCH,
  },
  '/healthz': { canI: ['/healthz'], path: '/healthz', allowedStatus: 200 },
  '/version': { canI: ['/version'], path: '/version', allowedStatus: 200 },
  '/api': { canI: ['/api'], path: '/api', allowedStatus: 200 },
  '/metrics': { canI: ['/metrics'], path: '/metrics', allowedStatus: 404 },
};

interface HttpAnswer {
  status: number;
  body: any;
  text: string;
}

/** One request as `who`; a watch is answered by its status line (and the stream dropped), a refusal by its Status. */
function send(
  kg: Kgate,
  who: Subject['http'],
  method: string,
  path: string,
  opts: { body?: object; contentType?: string; watch?: boolean } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (who.token) headers.authorization = `Bearer ${who.token}`;
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  if (payload) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    headers['content-length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${kg.url}${path}`,
      { method, headers, agent: false, ca: kg.ca, ...(who.cert && { cert: who.cert, key: who.key }) },
      (res) => {
        const status = res.statusCode ?? 0;
        if (opts.watch && status === 200) {
          resolve({ status, body: undefined, text: '' });
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status, body, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs `tasks` at most `limit` at a time (kubectl is a process each; the machine is small). */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * A kubeconfig for `kg` whose requests are anonymous. kubectl prompts for a username when a kubeconfig user has no
 * credentials at all, so this one has a basic-auth username and password: kube (and kgate) understand no Basic
 * credentials, and a request with none they understand is anonymous (or 401 with --anonymous-auth=false).
 */
async function anonymousKubeconfig(kg: Kgate): Promise<string> {
  const path = `${kg.kubeconfig}-anonymous`;
  const admin = parse(await readFile(kg.kubeconfig, 'utf8'));
  await writeFile(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: admin.clusters,
      users: [{ name: 'anonymous', user: { username: 'nobody', password: 'unused' } }],
      contexts: [{ name: 'anonymous', context: { cluster: admin.clusters[0].name, user: 'anonymous', namespace: 'default' } }],
      'current-context': 'anonymous',
    }),
  );
  return path;
}

const canIAnswer = (res: ClientResult) => ({ code: res.code, answer: res.stdout.trim(), error: res.stderr.trim() });

describe('security matrix: users × verbs × resources, over HTTP and through kubectl', function () {
  this.timeout(600_000);
  let kg: Kgate;
  let kgOff: Kgate;
  const subjects: Partial<Record<Column, Subject>> = {};
  let anonymousOff: { kubeconfig: string };
  const rows = parseMatrix(MATRIX);

  before(async () => {
    const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const tokens = [{ token: 'tara-token', user: 'tara', uid: 'tara-uid', groups: ['matrix-devs'] }];
    kg = await startKgate({ tokens, clientCA: true, anonymous: true, serviceAccounts: { signingKey } });
    kgOff = await startKgate({ etcd: kg.etcd, prefix: '/matrix-anonymous-off', tokens, clientCA: true, anonymous: false });
    await kg.kubectl(['create', 'namespace', NS]);
    await kg.kubectl(['create', 'serviceaccount', 'robot', '-n', NS]);
    for (const grant of GRANTS) await kg.kubectl(grant);
    for (const [collection, body] of [
      [`${NSPATH}/pods`, pod('p1')],
      [`/apis/apps/v1/namespaces/${NS}/deployments`, deployment('web')],
      [`${NSPATH}/configmaps`, configMap('cm1')],
      [`${NSPATH}/configmaps`, configMap('cm-named')],
      ['/apis/storage.k8s.io/v1/storageclasses', storageClass('sc1')],
    ] as const) {
      const res = await kg.request('POST', collection, { body });
      assert.equal(res.status, 201, res.text);
    }

    const robotToken = (await kg.kubectl(['create', 'token', 'robot', '-n', NS, '--duration=1h'])).stdout.trim();
    const carl = await kg.clientKubeconfig('carl', ['matrix-ops']);
    const carlUser = parse(await readFile(carl, 'utf8')).users[0].user;
    subjects.token = {
      name: 'tara',
      groups: ['matrix-devs', 'system:authenticated'],
      http: { token: 'tara-token' },
      kubectl: ['--token=tara-token'],
      as: ['--as=tara', '--as-group=matrix-devs'],
    };
    subjects.cert = {
      name: 'carl',
      groups: ['matrix-ops', 'system:authenticated'],
      http: {
        cert: Buffer.from(carlUser['client-certificate-data'], 'base64').toString(),
        key: Buffer.from(carlUser['client-key-data'], 'base64').toString(),
      },
      kubectl: [`--kubeconfig=${carl}`],
      as: ['--as=carl', '--as-group=matrix-ops'],
    };
    subjects.sa = {
      name: `system:serviceaccount:${NS}:robot`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated'],
      http: { token: robotToken },
      kubectl: [`--token=${robotToken}`],
      // Impersonating a ServiceAccount's username gives it the ServiceAccount groups.
      as: [`--as=system:serviceaccount:${NS}:robot`],
    };
    subjects.anonymous = {
      name: 'system:anonymous',
      groups: ['system:unauthenticated'],
      http: {},
      kubectl: [`--kubeconfig=${await anonymousKubeconfig(kg)}`],
      as: ['--as=system:anonymous'],
    };
    // subjects.oidc = ...    (an OIDC ID token from an issuer the test serves on loopback: --token=<id token>)
    // subjects.webhook = ... (a token the test's TokenReview webhook accepts: --token=<token>)
    anonymousOff = { kubeconfig: await anonymousKubeconfig(kgOff) };
  });
  after(async () => {
    await kgOff?.close();
    await kg?.close();
  });

  it('the matrix covers every verb on namespaced and cluster-scoped resources, and each pending column is all ?', () => {
    const verbs: Verb[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
    for (const target of ['pods', 'configmaps', 'storageclasses']) {
      assert.deepEqual(
        rows.filter((r) => r.target === target).map((r) => r.verb),
        verbs,
        target,
      );
    }
    for (const row of rows) assert.ok(TARGETS[row.target], `no target ${row.target}`);
    for (const column of ['token', 'cert', 'sa', 'anonymous', 'oidc', 'webhook'] as Column[]) {
      const pending = rows.filter((r) => r.expect[column] === '?').length;
      assert.equal(pending, subjects[column] ? 0 : rows.length, `${column}: ${pending} of ${rows.length} cells are ?`);
    }
  });

  it('kubectl auth whoami prints each user’s name and groups, with its own credentials and impersonated', async () => {
    for (const [column, s] of Object.entries(subjects) as [Column, Subject][]) {
      for (const flags of [s.kubectl, s.as]) {
        const res = await kg.kubectl([...flags, 'auth', 'whoami', '-o', 'json'], { allowFail: true });
        if (column === 'anonymous') {
          // kube binds system:basic-user (which may create SelfSubjectReviews) to system:authenticated only; kubectl
          // words the 403 so.
          assert.notEqual(res.code, 0);
          assert.equal(
            res.stderr.trim(),
            'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it',
          );
          continue;
        }
        assert.equal(res.code, 0, `${column} ${flags.join(' ')}: ${res.stderr}`);
        const info = JSON.parse(res.stdout).status.userInfo;
        assert.equal(info.username, s.name, column);
        assert.deepEqual(info.groups, s.groups, `${column} ${flags.join(' ')}`);
      }
    }
    const text = await kg.kubectl([...subjects.token!.kubectl, 'auth', 'whoami']);
    assert.match(text.stdout, /^Username\s+tara$/m);
    assert.match(text.stdout, /^Groups\s+\[matrix-devs system:authenticated\]$/m);
    // With anonymous auth off there is no one to be: kubectl is told to log in.
    const off = await kgOff.kubectl([`--kubeconfig=${anonymousOff.kubeconfig}`, 'auth', 'whoami'], { allowFail: true });
    assert.notEqual(off.code, 0);
    assert.equal(off.stderr.trim(), 'error: You must be logged in to the server (Unauthorized)');
  });

  rows.forEach((row, index) => {
    const columns = (Object.keys(row.expect) as Column[]).filter((c) => row.expect[c] !== '?');
    const title = `${row.verb} ${row.target}: ${columns.map((c) => `${c} ${row.expect[c] === 'Y' ? 'allowed' : 'denied'}`).join(', ')}`;
    it(title, async () => {
      const target = TARGETS[row.target];
      for (const column of columns) {
        const s = subjects[column];
        assert.ok(s, `no subject for the ${column} column`);
        const allowed = row.expect[column] === 'Y';
        const res = await request(kg, target, row.verb, s.http, `${column}-${index}`);
        const cell = `${column} ${row.verb} ${row.target}`;
        if (allowed) {
          const want = 'path' in target ? target.allowedStatus : row.verb === 'create' ? 201 : 200;
          assert.equal(res.status, want, `${cell}: ${res.text}`);
        } else {
          assert.equal(res.status, 403, `${cell}: ${res.text}`);
          assert.equal(res.body?.reason, 'Forbidden', cell);
          assert.match(
            res.body?.message ?? '',
            new RegExp(`User "${s.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" cannot ${row.verb}`),
            cell,
          );
        }
      }
      // With --anonymous-auth=false the same request without credentials is 401 before any authorization.
      const off = await request(kgOff, target, row.verb, {}, `off-${index}`, { offline: true });
      assert.equal(off.status, 401, off.text);
      assert.equal(off.body?.reason, 'Unauthorized');

      // kubectl auth can-i agrees, asked with the user's own credentials and by the admin impersonating the user.
      const canI = ['auth', 'can-i', row.verb, ...target.canI];
      const checks: { column: Column; how: 'own' | 'as' | 'review' | 'anonymous-auth=false'; run: () => Promise<ClientResult> }[] = [];
      for (const column of columns) {
        const s = subjects[column]!;
        checks.push({ column, how: 'own', run: () => kg.kubectl([...s.kubectl, ...canI], { allowFail: true }) });
        checks.push({ column, how: 'as', run: () => kg.kubectl([...s.as, ...canI], { allowFail: true }) });
        // can-i sends a SelfSubjectAccessReview, which system:anonymous may not create (system:basic-user is bound
        // to system:authenticated), --as included: the admin asks with a SubjectAccessReview, through kubectl too.
        if (column === 'anonymous') {
          const review = {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user: s.name,
              groups: s.groups,
              ...(target.attrs
                ? { resourceAttributes: { ...target.attrs, verb: row.verb } }
                : { nonResourceAttributes: { path: (target as PathTarget).path, verb: row.verb } }),
            },
          };
          checks.push({
            column,
            how: 'review',
            // --validate=false: for a kind without PATCH kubectl validates on the client from /openapi/v2 as protobuf,
            // which kgate does not serve (406).
            run: () =>
              kg.kubectl(['create', '--validate=false', '-f', '-', '-o', 'jsonpath={.status.allowed}'], { input: JSON.stringify(review) }),
          });
        }
      }
      checks.push({
        column: 'anonymous',
        how: 'anonymous-auth=false',
        run: () => kgOff.kubectl([`--kubeconfig=${anonymousOff.kubeconfig}`, ...canI], { allowFail: true }),
      });
      const answers = await pooled(
        checks.map((c) => c.run),
        4,
      );
      checks.forEach((c, i) => {
        const got = canIAnswer(answers[i]);
        const cell = `${c.how === 'review' ? 'SubjectAccessReview' : `kubectl ${canI.join(' ')}`} for ${c.column} (${c.how})`;
        const allowed = row.expect[c.column] === 'Y';
        if (c.how === 'anonymous-auth=false') {
          // (Resource rows first print kubectl's failed discovery; the verdict is the last line.)
          const verdict = got.error.split('\n').at(-1);
          assert.deepEqual(
            { ...got, error: verdict },
            { code: 1, answer: '', error: 'error: You must be logged in to the server (Unauthorized)' },
            cell,
          );
        } else if (c.how === 'review') {
          assert.equal(got.answer, String(allowed), cell);
        } else if (c.column === 'anonymous') {
          assert.equal(got.code, 1, cell);
          assert.match(
            got.error,
            /selfsubjectaccessreviews\.authorization\.k8s\.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectaccessreviews"/,
            cell,
          );
        } else if (allowed) {
          assert.deepEqual({ code: got.code, answer: got.answer }, { code: 0, answer: 'yes' }, `${cell}: ${got.error}`);
        } else {
          assert.deepEqual({ code: got.code, answer: got.answer }, { code: 1, answer: 'no' }, `${cell}: ${got.error}`);
        }
      });
    });
  });

  it('nothing a denied request sent was written', async () => {
    // Every denied create used the name <kind>-new-<column>-<row>; only the allowed ones exist.
    for (const [index, row] of rows.entries()) {
      const target = TARGETS[row.target];
      if (row.verb !== 'create' || 'path' in target) continue;
      for (const column of Object.keys(subjects) as Column[]) {
        const res = await kg.request('GET', `${target.collection}/${newName(`${column}-${index}`)}`);
        assert.equal(res.status, row.expect[column] === 'Y' ? 200 : 404, `${column} create ${row.target}`);
      }
    }
  });
});

const newName = (cell: string) => `new-${cell}`;

/**
 * The HTTP request for one cell, with what it needs made first by the admin: an object to delete, one labelled for
 * a deletecollection, the object an update sends back. `offline` skips the preparation (the anonymous-auth=false
 * server answers 401 before looking at anything).
 */
async function request(
  kg: Kgate,
  target: ResourceTarget | PathTarget,
  verb: Verb,
  who: Subject['http'],
  cell: string,
  { offline = false } = {},
): Promise<HttpAnswer> {
  if ('path' in target) return send(kg, who, 'GET', target.path);
  const admin = (method: string, path: string, body?: object) => kg.request(method, path, { body });
  const at = (name: string) => `${target.collection}/${name}${target.subresource ? `/${target.subresource}` : ''}`;
  switch (verb) {
    case 'get':
      return send(kg, who, 'GET', at(target.fixture));
    case 'list':
      return send(kg, who, 'GET', target.collection);
    case 'watch':
      return send(kg, who, 'GET', `${target.collection}?watch=true`, { watch: true });
    case 'create':
      return send(kg, who, 'POST', target.collection, { body: target.make(newName(cell)) });
    case 'update': {
      const current = offline ? { body: target.make(target.fixture) } : await admin('GET', at(target.fixture));
      return send(kg, who, 'PUT', at(target.fixture), { body: target.change(current.body) });
    }
    case 'patch':
      return send(kg, who, 'PATCH', at(target.fixture), { body: target.patch, contentType: 'application/merge-patch+json' });
    case 'delete': {
      const name = target.byName ? target.fixture : `del-${cell}`;
      if (!offline) {
        const made = await admin('POST', target.collection, target.make(name));
        assert.ok(made.status === 201 || (target.byName && made.status === 409), made.text);
      }
      return send(kg, who, 'DELETE', `${target.collection}/${name}`);
    }
    case 'deletecollection': {
      if (!offline) {
        const made = await admin('POST', target.collection, target.make(`dc-${cell}`, { 'matrix-cell': cell }));
        assert.equal(made.status, 201, made.text);
      }
      return send(kg, who, 'DELETE', `${target.collection}?labelSelector=matrix-cell%3D${cell}`);
    }
  }
}
