// The scripted request sequence the differential suite replays against kgate and the reference kube-apiserver
// (differential.test.ts). Steps run in order on each server with that server's own results (resourceVersions,
// continue tokens, uids) kept in a per-server context, so "stale" and "next page" mean the same thing on both.
// Grow it with each issue that settles a kube behaviour: RBAC denials, CRD validation, admission messages.
import type { HttpResponse, RequestOptions, Requester, Watcher } from '../support/http.js';

export interface Server {
  request: Requester;
  watch: Watcher;
}

/** What a step saw: compared field by field after normalisation. */
export interface Observation {
  status: number;
  /** Media type of the response without parameters. */
  contentType?: string;
  /** The Warning header(s), joined: fieldValidation=Warn and deprecations answer there. */
  warning?: string;
  body: unknown;
}

/** Values one server's earlier steps saved for later ones (resourceVersions, tokens, uids). */
export type Context = Map<string, string>;

export interface Step {
  /** The test title: what a client gets. Also the allow-list key. */
  name: string;
  run(server: Server, ctx: Context): Promise<Observation>;
}

export const NS = 'differential';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;

function observe(res: HttpResponse): Observation {
  const type = res.headers['content-type'];
  const contentType = typeof type === 'string' ? type.split(';')[0]!.trim() : undefined;
  const warning = res.headers.warning;
  return {
    status: res.status,
    contentType,
    ...(warning !== undefined ? { warning: Array.isArray(warning) ? warning.join(', ') : warning } : {}),
    body: res.body ?? res.text,
  };
}

type Dynamic<T> = T | ((ctx: Context) => T);
const resolve = <T>(value: Dynamic<T>, ctx: Context): T => (typeof value === 'function' ? (value as (ctx: Context) => T)(ctx) : value);

interface Call {
  method: string;
  path: Dynamic<string>;
  body?: Dynamic<unknown>;
  raw?: Dynamic<string>;
  headers?: Record<string, string>;
  /** Bearer token; null sends none. Default: the server's admin token. */
  token?: string | null;
  /** Saves values from the response for later steps. */
  save?: (res: HttpResponse, ctx: Context) => void;
}

function call(name: string, c: Call): Step {
  return {
    name,
    async run(server, ctx) {
      const opts: RequestOptions = { headers: c.headers, ...(c.token !== undefined ? { token: c.token } : {}) };
      if (c.raw !== undefined) opts.raw = resolve(c.raw, ctx);
      else if (c.body !== undefined) opts.body = resolve(c.body, ctx);
      const res = await server.request(c.method, resolve(c.path, ctx), opts);
      c.save?.(res, ctx);
      return observe(res);
    },
  };
}

const saveRv = (key: string) => (res: HttpResponse, ctx: Context) => {
  const rv = res.body?.metadata?.resourceVersion;
  if (typeof rv === 'string') ctx.set(key, rv);
};
const need = (ctx: Context, key: string): string => {
  const value = ctx.get(key);
  if (value === undefined) throw new Error(`an earlier step did not save ${key}`);
  return value;
};

const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

const JSON_PATCH = { 'content-type': 'application/json-patch+json' };
const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };
const STRATEGIC_PATCH = { 'content-type': 'application/strategic-merge-patch+json' };
const APPLY_PATCH = { 'content-type': 'application/apply-patch+yaml' };

/** Watches from a saved resourceVersion until `count` events or an ERROR event arrive. */
function watchFrom(name: string, path: Dynamic<string>, count: number): Step {
  return {
    name,
    async run(server, ctx) {
      const events = await server.watch(resolve(path, ctx), (evs) => evs.length >= count || evs.some((e) => e.type === 'ERROR'), {
        deadlineMs: 30_000,
      });
      return { status: 200, body: events };
    },
  };
}

export const steps: Step[] = [
  // Setup. Both servers get the same namespace, so names in messages match.
  call('creating a namespace is 201 with the namespace', {
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
  }),

  // Create and read.
  call('creating a configmap is 201 with the stored object', {
    method: 'POST',
    path: CMS,
    body: cm('alpha', { k: 'v1' }, { app: 'diff', tier: 'a' }),
    save: saveRv('alpha.created'),
  }),
  call('creating it again is 409 AlreadyExists', { method: 'POST', path: CMS, body: cm('alpha', { k: 'v1' }) }),
  call('creating with generateName is 201 with a generated name', {
    method: 'POST',
    path: CMS,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' }, data: { g: '1' } },
  }),
  call('a dry-run create is 201 and stores nothing', { method: 'POST', path: `${CMS}?dryRun=All`, body: cm('dry', { d: '1' }) }),
  call('getting the dry-run name afterwards is 404 NotFound', { method: 'GET', path: `${CMS}/dry` }),
  call('getting a configmap is 200 with the object', { method: 'GET', path: `${CMS}/alpha` }),
  call('getting a missing configmap is 404 NotFound', { method: 'GET', path: `${CMS}/missing` }),
  call('getting in a missing namespace is 404 NotFound for the configmap', {
    method: 'GET',
    path: '/api/v1/namespaces/nowhere/configmaps/alpha',
  }),
  call('creating in a missing namespace is 404 NotFound for the namespace', {
    method: 'POST',
    path: '/api/v1/namespaces/nowhere/configmaps',
    body: cm('x', {}),
  }),

  // Lists: selectors and pages.
  call('creating beta is 201', { method: 'POST', path: CMS, body: cm('beta', { k: 'v1' }, { app: 'diff', tier: 'b' }) }),
  call('creating gamma is 201', { method: 'POST', path: CMS, body: cm('gamma', { k: 'v1' }, { app: 'other', tier: 'b' }) }),
  call('listing with an equality label selector is 200 with the matches', { method: 'GET', path: `${CMS}?labelSelector=app%3Ddiff` }),
  call('listing with a set-based label selector is 200 with the matches', {
    method: 'GET',
    path: `${CMS}?labelSelector=tier%20in%20(b)%2C!missing`,
  }),
  call('listing with a field selector on metadata.name is 200 with one item', {
    method: 'GET',
    path: `${CMS}?fieldSelector=metadata.name%3Dbeta`,
  }),
  call('listing with an unsupported field selector is 400 BadRequest', { method: 'GET', path: `${CMS}?fieldSelector=data.k%3Dv1` }),
  call('listing with a malformed label selector is 400 BadRequest', { method: 'GET', path: `${CMS}?labelSelector=app%20in%20(` }),
  call('listing the first page of two is 200 with a continue token', {
    method: 'GET',
    path: `${CMS}?limit=2`,
    save: (res, ctx) => {
      const token = res.body?.metadata?.continue;
      if (typeof token === 'string') ctx.set('continue', token);
    },
  }),
  call('listing the next page is 200 with the rest and no token', {
    method: 'GET',
    path: (ctx) => `${CMS}?limit=2&continue=${encodeURIComponent(need(ctx, 'continue'))}`,
  }),
  call('listing with a garbled continue token is 400 BadRequest', { method: 'GET', path: `${CMS}?limit=2&continue=bm90LWEtdG9rZW4` }),
  call('listing with resourceVersion=0 is 200 (served from the cache)', {
    method: 'GET',
    path: `${CMS}?resourceVersion=0&labelSelector=app%3Ddiff`,
  }),
  call('listing across namespaces is 200 with the namespaced items', { method: 'GET', path: '/api/v1/configmaps?labelSelector=app' }),
  call('listing as a table is 200 with a Table', {
    method: 'GET',
    path: `${CMS}?labelSelector=app%3Ddiff`,
    headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
  }),

  // Updates with current and stale resourceVersions.
  call('an update with the current resourceVersion is 200', {
    method: 'PUT',
    path: `${CMS}/alpha`,
    body: (ctx: Context) => ({
      ...cm('alpha', { k: 'v2' }, { app: 'diff', tier: 'a' }),
      metadata: { name: 'alpha', labels: { app: 'diff', tier: 'a' }, resourceVersion: need(ctx, 'alpha.created') },
    }),
    save: saveRv('alpha.updated'),
  }),
  call('an update with a stale resourceVersion is 409 Conflict', {
    method: 'PUT',
    path: `${CMS}/alpha`,
    body: (ctx: Context) => ({ ...cm('alpha', { k: 'v3' }), metadata: { name: 'alpha', resourceVersion: need(ctx, 'alpha.created') } }),
  }),
  call("an update with a malformed resourceVersion is a 500 Status with strconv.ParseUint's error", {
    method: 'PUT',
    path: `${CMS}/alpha`,
    body: { ...cm('alpha', { k: 'v3' }), metadata: { name: 'alpha', resourceVersion: 'abc' } },
  }),
  call('an update without resourceVersion is 200 (unconditional)', {
    method: 'PUT',
    path: `${CMS}/alpha`,
    body: cm('alpha', { k: 'v3' }, { app: 'diff', tier: 'a' }),
  }),
  call('an update of a missing object is 404 NotFound', { method: 'PUT', path: `${CMS}/missing`, body: cm('missing', { k: 'v' }) }),
  call('an update whose body names another object is 400 BadRequest', {
    method: 'PUT',
    path: `${CMS}/alpha`,
    body: cm('beta', { k: 'v' }),
  }),

  // Patches of each type.
  call('a JSON patch is 200 with the patched object', {
    method: 'PATCH',
    path: `${CMS}/alpha`,
    raw: JSON.stringify([{ op: 'add', path: '/data/jp', value: 'x' }]),
    headers: JSON_PATCH,
  }),
  call('a JSON patch whose test fails is 422 Invalid', {
    method: 'PATCH',
    path: `${CMS}/alpha`,
    raw: JSON.stringify([{ op: 'test', path: '/data/jp', value: 'nope' }]),
    headers: JSON_PATCH,
  }),
  call('a JSON patch removing a missing path is 422 Invalid', {
    method: 'PATCH',
    path: `${CMS}/alpha`,
    raw: JSON.stringify([{ op: 'remove', path: '/data/absent' }]),
    headers: JSON_PATCH,
  }),
  call('a merge patch is 200 with the patched object', {
    method: 'PATCH',
    path: `${CMS}/alpha`,
    raw: JSON.stringify({ data: { mp: 'y', jp: null } }),
    headers: MERGE_PATCH,
  }),
  call('a merge patch with a stale resourceVersion is 409 Conflict', {
    method: 'PATCH',
    path: `${CMS}/alpha`,
    raw: (ctx) => JSON.stringify({ metadata: { resourceVersion: need(ctx, 'alpha.created') }, data: { mp: 'z' } }),
    headers: MERGE_PATCH,
  }),
  call('a strategic merge patch is 200 with the patched object', {
    method: 'PATCH',
    path: `${CMS}/alpha`,
    raw: JSON.stringify({ metadata: { labels: { smp: 'yes' } } }),
    headers: STRATEGIC_PATCH,
  }),
  call('a patch with an unsupported content type is 415 UnsupportedMediaType', {
    method: 'PATCH',
    path: `${CMS}/alpha`,
    raw: '{}',
    headers: { 'content-type': 'text/plain' },
  }),
  call('a malformed merge patch is 400 BadRequest', { method: 'PATCH', path: `${CMS}/alpha`, raw: '{"data":', headers: MERGE_PATCH }),
  call('a patch of a missing object is 404 NotFound', { method: 'PATCH', path: `${CMS}/missing`, raw: '{}', headers: MERGE_PATCH }),

  // Server-side apply and its conflicts.
  call('an apply by manager one is 201 with managedFields', {
    method: 'PATCH',
    path: `${CMS}/applied?fieldManager=one`,
    raw: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  x: "1"\n',
    headers: APPLY_PATCH,
  }),
  call('an apply of the same field by manager two is 409 Conflict naming manager one', {
    method: 'PATCH',
    path: `${CMS}/applied?fieldManager=two`,
    raw: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  x: "2"\n',
    headers: APPLY_PATCH,
  }),
  call('a forced apply by manager two is 200 and takes the field', {
    method: 'PATCH',
    path: `${CMS}/applied?fieldManager=two&force=true`,
    raw: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  x: "2"\n',
    headers: APPLY_PATCH,
  }),
  call('an apply without fieldManager is 400 BadRequest', {
    method: 'PATCH',
    path: `${CMS}/applied`,
    raw: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n',
    headers: APPLY_PATCH,
  }),
  call('an apply of the wrong kind is 400 BadRequest', {
    method: 'PATCH',
    path: `${CMS}/applied?fieldManager=one`,
    raw: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: applied\n',
    headers: APPLY_PATCH,
  }),

  // Bad inputs of every class.
  call('malformed JSON is 400 BadRequest', {
    method: 'POST',
    path: CMS,
    raw: '{"apiVersion":"v1","kind":"ConfigMap","metadata":',
    headers: { 'content-type': 'application/json' },
  }),
  call('a body of the wrong kind is 400 BadRequest', {
    method: 'POST',
    path: CMS,
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'wrong' } },
  }),
  call('a body without kind is 201: the kind comes from the URL', {
    method: 'POST',
    path: CMS,
    body: { apiVersion: 'v1', metadata: { name: 'nokind' } },
  }),
  call('a namespace in the body that differs from the URL is 400 BadRequest', {
    method: 'POST',
    path: CMS,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'other' } },
  }),
  call('an invalid name is 422 Invalid', { method: 'POST', path: CMS, body: cm('Bad_Name', {}) }),
  call('a missing name is 422 Invalid', { method: 'POST', path: CMS, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } }),
  call('an invalid data key is 422 Invalid', { method: 'POST', path: CMS, body: cm('badkey', { 'bad key!': 'x' }) }),
  call('an unknown field under fieldValidation=Strict is 400 BadRequest', {
    method: 'POST',
    path: `${CMS}?fieldValidation=Strict`,
    body: { ...cm('strict', {}), bogus: 1 },
  }),
  call('an unknown field under fieldValidation=Warn is 201 with a warning', {
    method: 'POST',
    path: `${CMS}?fieldValidation=Warn`,
    body: { ...cm('warned', {}), bogus: 1 },
  }),
  call('a duplicate field under fieldValidation=Strict is 400 BadRequest', {
    method: 'POST',
    path: `${CMS}?fieldValidation=Strict`,
    raw: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1"},"data":{"b":"2"}}',
    headers: { 'content-type': 'application/json' },
  }),
  call('a bad fieldValidation value is 400 BadRequest', { method: 'POST', path: `${CMS}?fieldValidation=Sometimes`, body: cm('fv', {}) }),
  call('a bad dryRun value is 400 BadRequest', { method: 'POST', path: `${CMS}?dryRun=Maybe`, body: cm('dr', {}) }),
  call('an unsupported body media type is 415 UnsupportedMediaType', {
    method: 'POST',
    path: CMS,
    raw: 'name=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }),
  call('a request for an unknown resource is 404 NotFound', { method: 'GET', path: `/api/v1/namespaces/${NS}/widgets` }),
  call('a request with an unknown bearer token is 401 Unauthorized', { method: 'GET', path: CMS, token: 'not-a-valid-token' }),
  call('a request without credentials is 403 Forbidden for system:anonymous', { method: 'GET', path: CMS, token: null }),

  // Built-ins with defaulting: what a client reads back after create.
  call('creating a pod is 201 with kube-apiserver defaults filled in', {
    method: 'POST',
    path: PODS,
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
  }),
  call('a pod without containers is 422 Invalid', {
    method: 'POST',
    path: PODS,
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty' }, spec: { containers: [] } },
  }),
  call('creating a deployment is 201 with kube-apiserver defaults filled in', {
    method: 'POST',
    path: DEPLOYMENTS,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
      },
    },
  }),
  call('a strategic merge patch of a container by name is 200 and keeps the other fields', {
    method: 'PATCH',
    path: `${DEPLOYMENTS}/web`,
    raw: JSON.stringify({
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'c', image: 'nginx:1.28' },
              { name: 'side', image: 'busybox' },
            ],
          },
        },
      },
    }),
    headers: STRATEGIC_PATCH,
  }),
  call('a deployment whose selector does not match its template is 422 Invalid', {
    method: 'POST',
    path: DEPLOYMENTS,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'mismatch' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    },
  }),

  // Watches from revisions.
  call('creating the watched configmap is 201', {
    method: 'POST',
    path: CMS,
    body: cm('watched', { w: '0' }, { watched: 'yes' }),
    save: saveRv('watched.created'),
  }),
  call('updating the watched configmap is 200', {
    method: 'PUT',
    path: `${CMS}/watched`,
    body: cm('watched', { w: '1' }, { watched: 'yes' }),
    save: saveRv('watched.updated'),
  }),
  call('deleting the watched configmap is 200 with the object', { method: 'DELETE', path: `${CMS}/watched` }),
  watchFrom(
    'a watch from the create revision replays MODIFIED then DELETED',
    (ctx) => `${CMS}?watch=true&labelSelector=watched&resourceVersion=${need(ctx, 'watched.created')}`,
    2,
  ),
  watchFrom(
    'a watch from the update revision replays DELETED',
    (ctx) => `${CMS}?watch=true&labelSelector=watched&resourceVersion=${need(ctx, 'watched.updated')}`,
    1,
  ),
  watchFrom(
    'a watch from a revision before the server started is an ERROR event with 410 Expired',
    `${CMS}?watch=true&resourceVersion=1`,
    1,
  ),
  watchFrom(
    'a watch with resourceVersion=0 starts with ADDED for what exists',
    `${CMS}?watch=true&resourceVersion=0&labelSelector=app%3Ddiff`,
    2,
  ),
  call('a watch with a malformed resourceVersion is a 500 Status, not a stream', {
    method: 'GET',
    path: `${CMS}?watch=true&resourceVersion=abc`,
  }),
  call('a list with a future resourceVersion and Exact match is 504 Timeout ResourceVersionTooLarge', {
    method: 'GET',
    path: `${CMS}?resourceVersion=999999999&resourceVersionMatch=Exact`,
  }),

  // Deletes.
  call('a delete with a uid precondition that does not match is 409 Conflict', {
    method: 'DELETE',
    path: `${CMS}/beta`,
    body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: '00000000-0000-0000-0000-000000000000' } },
  }),
  call('a delete with a stale resourceVersion precondition is 409 Conflict', {
    method: 'DELETE',
    path: `${CMS}/alpha`,
    body: (ctx: Context) => ({ apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion: need(ctx, 'alpha.created') } }),
  }),
  call('a delete is 200 with the deleted object', { method: 'DELETE', path: `${CMS}/beta` }),
  call('deleting it again is 404 NotFound', { method: 'DELETE', path: `${CMS}/beta` }),
  call('a deletecollection by label is 200 with the deleted list', { method: 'DELETE', path: `${CMS}?labelSelector=app%3Dother` }),
];
