// The security matrix's spec and requests, shared by test/integration/security-matrix.test.ts (kgate, over HTTP and
// through kubectl) and test/differential/security-matrix.test.ts (the same HTTP requests to the reference
// kube-apiserver, so the table is kube's answer and not only kgate's). Who may do what: a table of users × verbs ×
// targets (namespaced and cluster-scoped resources, subresources, a resourceName, non-resource URLs) with the expected
// allow or deny in each cell, given by grants made with kubectl. The semantics are kube's RBAC authorizer
// (plugin/pkg/auth/authorizer/rbac/rbac.go) and bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy).
import assert from 'node:assert/strict';
import https from 'node:https';
import type { Requester } from './http.js';
import { startIssuer } from './oidc-issuer.js';
import { startTokenWebhook } from './token-webhook.js';

export const NS = 'matrix';
const NSPATH = `/api/v1/namespaces/${NS}`;

/**
 * The spec. One row per target and verb; one column per user type: Y allowed, N denied (? would mark a user type not
 * defined yet: define the user in the `subjects` of test/integration/security-matrix.test.ts and the credentials of
 * test/differential/security-matrix.test.ts — its credentials, name and groups — add its grants to GRANTS, and replace
 * its ?s with Y/N). Anonymous with --anonymous-auth=false is not a column: every cell is 401 for it.
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
 *   oidc       oidc:olga@example.com, groups [oidc:matrix-auditors]: an ID token from the loopback issuer
 *              (startIdentityProviders) with email olga@example.com and groups [matrix-auditors], read with
 *              --oidc-username-claim=email and the prefixes oidc:; Role cm-reader (get/list/watch configmaps) bound to
 *              the user, ClusterRole auditor (get/watch on pods/status and storageclasses) bound to the prefixed group
 *   webhook    wendy, groups [matrix-web]: a token the loopback TokenReview webhook answers for; Role pod-cleaner
 *              (list/delete/deletecollection pods) bound to the user, Role scaler (get/patch deployments/scale) and
 *              ClusterRole sc-creator (create storageclasses) bound to the group matrix-web
 *   everyone authenticated: ClusterRole metrics-reader (GET /metrics) bound to system:authenticated, and kube's
 *              default system:discovery (/api, /apis, ...)
 */
export const MATRIX = `
  target               verb              token cert sa  anonymous  oidc webhook
  pods                 get               Y     N    N   N          N    N
  pods                 list              Y     N    N   N          N    Y
  pods                 watch             Y     N    N   N          N    N
  pods                 create            N     N    Y   N          N    N
  pods                 update            N     N    Y   N          N    N
  pods                 patch             N     N    Y   N          N    N
  pods                 delete            N     N    Y   N          N    Y
  pods                 deletecollection  N     N    Y   N          N    Y
  pods/status          get               N     Y    N   N          Y    N
  pods/status          update            N     Y    N   N          N    N
  pods/status          patch             N     Y    N   N          N    N
  deployments/scale    get               N     Y    N   N          N    Y
  deployments/scale    update            N     Y    N   N          N    N
  deployments/scale    patch             N     Y    N   N          N    Y
  configmaps           get               N     N    Y   N          Y    N
  configmaps           list              N     N    Y   N          Y    N
  configmaps           watch             N     N    Y   N          Y    N
  configmaps           create            N     N    Y   N          N    N
  configmaps           update            N     N    Y   N          N    N
  configmaps           patch             N     N    Y   N          N    N
  configmaps           delete            N     N    Y   N          N    N
  configmaps           deletecollection  N     N    Y   N          N    N
  configmaps/cm-named  get               Y     N    Y   N          Y    N
  configmaps/cm-named  update            Y     N    Y   N          N    N
  configmaps/cm-named  patch             Y     N    Y   N          N    N
  configmaps/cm-named  delete            Y     N    Y   N          N    N
  storageclasses       get               N     Y    N   Y          Y    N
  storageclasses       list              N     Y    N   Y          N    N
  storageclasses       watch             N     Y    N   N          Y    N
  storageclasses       create            N     Y    N   N          N    Y
  storageclasses       update            N     Y    N   N          N    N
  storageclasses       patch             N     Y    N   N          N    N
  storageclasses       delete            N     Y    N   N          N    N
  storageclasses       deletecollection  N     Y    N   N          N    N
  namespaces/matrix    get               Y     N    N   N          N    N
  /healthz             get               Y     Y    Y   Y          Y    Y
  /version             get               Y     Y    Y   Y          Y    Y
  /api                 get               Y     Y    Y   N          Y    Y
  /metrics             get               Y     Y    Y   N          Y    Y
`;

/** The grants behind the matrix, made as a cluster admin would make them. */
export const GRANTS: string[][] = [
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
  ['create', 'role', 'cm-reader', '--verb=get,list,watch', '--resource=configmaps', '-n', NS],
  ['create', 'rolebinding', 'olga-reads-cms', '--role=cm-reader', '--user=oidc:olga@example.com', '-n', NS],
  ['create', 'clusterrole', 'auditor', '--verb=get,watch', '--resource=pods/status,storageclasses'],
  ['create', 'clusterrolebinding', 'auditors-audit', '--clusterrole=auditor', '--group=oidc:matrix-auditors'],
  ['create', 'role', 'pod-cleaner', '--verb=list,delete,deletecollection', '--resource=pods', '-n', NS],
  ['create', 'rolebinding', 'wendy-cleans-pods', '--role=pod-cleaner', '--user=wendy', '-n', NS],
  ['create', 'role', 'scaler', '--verb=get,patch', '--resource=deployments.apps/scale', '-n', NS],
  ['create', 'rolebinding', 'web-scales', '--role=scaler', '--group=matrix-web', '-n', NS],
  ['create', 'clusterrole', 'sc-creator', '--verb=create', '--resource=storageclasses'],
  ['create', 'clusterrolebinding', 'web-creates-sc', '--clusterrole=sc-creator', '--group=matrix-web'],
];

/** Who the OIDC and webhook columns are: the name and groups the servers must make of their credentials. */
export const OIDC_USER = { name: 'oidc:olga@example.com', groups: ['oidc:matrix-auditors'] };
export const WEBHOOK_USER = { name: 'wendy', groups: ['matrix-web'] };
const WEBHOOK_TOKEN = 'wendy-token';

/**
 * The loopback identity providers behind the oidc and webhook columns: an OIDC issuer (HTTPS, discovery, JWKS) and a
 * TokenReview webhook, the flags that make an API server (kgate or kube-apiserver, which may share them) trust both,
 * and each user's bearer token. The ID token carries email and groups unprefixed; the server's
 * --oidc-username-prefix and --oidc-groups-prefix make OIDC_USER of them.
 */
export interface IdentityProviders {
  flags: string[];
  oidcToken: string;
  webhookToken: string;
  close(): Promise<void>;
}

export async function startIdentityProviders(): Promise<IdentityProviders> {
  const issuer = await startIssuer();
  const webhook = await startTokenWebhook({
    [WEBHOOK_TOKEN]: { username: WEBHOOK_USER.name, uid: 'wendy-uid', groups: WEBHOOK_USER.groups },
  });
  // Valid for longer than the slowest run of the suites; kube and kgate refuse an expired token.
  const oidcToken = await issuer.sign(
    { sub: 'olga-subject', aud: 'kgate', email: 'olga@example.com', email_verified: true, groups: ['matrix-auditors'] },
    { expiresIn: 3 * 3600 },
  );
  return {
    flags: [
      `--oidc-issuer-url=${issuer.url}`,
      '--oidc-client-id=kgate',
      `--oidc-ca-file=${issuer.caFile}`,
      '--oidc-username-claim=email',
      '--oidc-username-prefix=oidc:',
      '--oidc-groups-claim=groups',
      '--oidc-groups-prefix=oidc:',
      `--authentication-token-webhook-config-file=${webhook.configFile}`,
      '--authentication-token-webhook-version=v1',
    ],
    oidcToken,
    webhookToken: WEBHOOK_TOKEN,
    async close() {
      await webhook.close();
      await issuer.close();
    },
  };
}

export type Column = 'token' | 'cert' | 'sa' | 'anonymous' | 'oidc' | 'webhook';
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface Row {
  target: string;
  verb: Verb;
  expect: Record<Column, 'Y' | 'N' | '?'>;
}

/** Parses MATRIX by its header, so a column can be added without touching the code that reads it. */
export function parseMatrix(text: string): Row[] {
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

/** A resource target: where it lives, how to make one, and what `kubectl auth can-i` calls it. */
export interface ResourceTarget {
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

export interface PathTarget {
  canI: string[];
  attrs?: undefined;
  path: string;
  /** What an allowed GET answers on kube-apiserver. */
  allowedStatus: number;
  /** kgate's answer where it differs: it serves no /metrics yet, so an authorized GET is 404 there. */
  kgateAllowedStatus?: number;
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

export const TARGETS: Record<string, ResourceTarget | PathTarget> = {
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
  '/metrics': { canI: ['/metrics'], path: '/metrics', allowedStatus: 200, kgateAllowedStatus: 404 },
};

/** How a user authenticates over HTTP: a bearer token, a client certificate, or neither (anonymous). */
export interface Credentials {
  token?: string;
  cert?: string;
  key?: string;
}

/** What the requests need of a server: kgate's test server and the reference both have these. */
export interface Server {
  url: string;
  ca: string;
  /** As the admin. */
  request: Requester;
}

export interface HttpAnswer {
  status: number;
  body: any;
  text: string;
}

/** One request as `who`; a watch is answered by its status line (and the stream dropped), a refusal by its Status. */
export function send(
  server: Server,
  who: Credentials,
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
      `${server.url}${path}`,
      { method, headers, agent: false, ca: server.ca, ...(who.cert && { cert: who.cert, key: who.key }) },
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

/** The HTTP status a cell expects: 200 or 201 when allowed, 403 when denied. */
export function expectedStatus(row: Row, target: ResourceTarget | PathTarget, allowed: boolean, server: 'kgate' | 'kube'): number {
  if (!allowed) return 403;
  if ('path' in target) return (server === 'kgate' && target.kgateAllowedStatus) || target.allowedStatus;
  return row.verb === 'create' ? 201 : 200;
}

/** The objects the rows act on, created by the admin after GRANTS (as collection path and body). */
export const FIXTURES: [string, object][] = [
  [`${NSPATH}/pods`, pod('p1')],
  [`/apis/apps/v1/namespaces/${NS}/deployments`, deployment('web')],
  [`${NSPATH}/configmaps`, configMap('cm1')],
  [`${NSPATH}/configmaps`, configMap('cm-named')],
  ['/apis/storage.k8s.io/v1/storageclasses', storageClass('sc1')],
];

export const newName = (cell: string) => `new-${cell}`;

/**
 * The HTTP request for one cell, with what it needs made first by the admin: an object to delete, one labelled for
 * a deletecollection, the object an update sends back. `offline` skips the preparation (the anonymous-auth=false
 * server answers 401 before looking at anything).
 */
export async function request(
  server: Server,
  target: ResourceTarget | PathTarget,
  verb: Verb,
  who: Credentials,
  cell: string,
  { offline = false } = {},
): Promise<HttpAnswer> {
  if ('path' in target) return send(server, who, 'GET', target.path);
  const admin = (method: string, path: string, body?: object) => server.request(method, path, { body });
  const at = (name: string) => `${target.collection}/${name}${target.subresource ? `/${target.subresource}` : ''}`;
  switch (verb) {
    case 'get':
      return send(server, who, 'GET', at(target.fixture));
    case 'list':
      return send(server, who, 'GET', target.collection);
    case 'watch':
      return send(server, who, 'GET', `${target.collection}?watch=true`, { watch: true });
    case 'create':
      return send(server, who, 'POST', target.collection, { body: target.make(newName(cell)) });
    case 'update': {
      const current = offline ? { body: target.make(target.fixture) } : await admin('GET', at(target.fixture));
      return send(server, who, 'PUT', at(target.fixture), { body: target.change(current.body) });
    }
    case 'patch':
      return send(server, who, 'PATCH', at(target.fixture), { body: target.patch, contentType: 'application/merge-patch+json' });
    case 'delete': {
      const name = target.byName ? target.fixture : `del-${cell}`;
      if (!offline) {
        const made = await admin('POST', target.collection, target.make(name));
        assert.ok(made.status === 201 || (target.byName && made.status === 409), made.text);
      }
      return send(server, who, 'DELETE', `${target.collection}/${name}`);
    }
    case 'deletecollection': {
      if (!offline) {
        const made = await admin('POST', target.collection, target.make(`dc-${cell}`, { 'matrix-cell': cell }));
        assert.equal(made.status, 201, made.text);
      }
      return send(server, who, 'DELETE', `${target.collection}?labelSelector=matrix-cell%3D${cell}`);
    }
  }
}
