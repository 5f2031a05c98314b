// The REST operations of each served resource, in a form both OpenAPI renderings (v2 and v3) are written from.
// Paths, operation ids, actions and parameters follow kube-apiserver's installer
// (apiserver/pkg/endpoints/installer.go registerResourceHandlers and its openapi operation namer).
import type { GroupVersionKind, ResourceInfo } from '../../scheme/index.js';

export type ParamType = 'string' | 'integer' | 'boolean';

export interface Param {
  name: string;
  in: 'path' | 'query';
  description: string;
  type: ParamType;
  required?: boolean;
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** kube's `x-kubernetes-action` values. */
export type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist';

export interface Operation {
  method: HttpMethod;
  operationId: string;
  description: string;
  action: Action;
  gvk: GroupVersionKind;
  params: Param[];
  /** The definition the request body carries (kind key of definitionOfKind). */
  body?: { kind: string; required: boolean; contentTypes: readonly string[] };
  /** Status code → kind key of the response body (undefined: no body schema). */
  responses: { code: string; description: string; kind?: string }[];
  /** Watch responses stream events. */
  streaming: boolean;
  tag: string;
}

export interface PathItem {
  path: string;
  params: Param[];
  operations: Operation[];
}

export const PATCH_CONTENT_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

const q = (name: string, type: ParamType, description: string): Param => ({ name, in: 'query', type, description });

const PRETTY = q(
  'pretty',
  'string',
  "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
);
const NAMESPACE: Param = {
  name: 'namespace',
  in: 'path',
  type: 'string',
  required: true,
  description: 'object name and auth scope, such as for teams and projects',
};
const DRY_RUN = q(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
);
const FIELD_MANAGER = q(
  'fieldManager',
  'string',
  'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.',
);
const FIELD_VALIDATION = q(
  'fieldValidation',
  'string',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
);
const FORCE = q(
  'force',
  'boolean',
  'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.',
);
const LIST_PARAMS: Param[] = [
  q(
    'allowWatchBookmarks',
    'boolean',
    'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server\'s discretion.',
  ),
  q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  q(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from. Defaults to unset',
  ),
  q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls. Defaults to unset'),
  q(
    'sendInitialEvents',
    'boolean',
    '`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection.',
  ),
  q(
    'timeoutSeconds',
    'integer',
    'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.',
  ),
  q(
    'watch',
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.',
  ),
];
const DELETE_PARAMS: Param[] = [
  DRY_RUN,
  q(
    'gracePeriodSeconds',
    'integer',
    'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately.',
  ),
  q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.',
  ),
  q(
    'orphanDependents',
    'boolean',
    'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned.',
  ),
  q(
    'propagationPolicy',
    'string',
    "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
];

const DELETE_OPTIONS = 'meta/v1/DeleteOptions';
const STATUS = '/v1/Status';
const WATCH_EVENT = 'meta/v1/WatchEvent';

/** `apps` → Apps, `rbac.authorization.k8s.io` → RbacAuthorization, core → Core (kube's operation id prefixes). */
export function groupPrefix(group: string): string {
  if (group === '') return 'Core';
  const labels = group.replace(/\.k8s\.io$/, '').split('.');
  return labels.map((l) => l.charAt(0).toUpperCase() + l.slice(1)).join('');
}

/** The tag kube files a group/version's operations under: core_v1, apps_v1, rbacAuthorization_v1. */
function tagOf(group: string, version: string): string {
  const prefix = groupPrefix(group);
  return `${prefix.charAt(0).toLowerCase()}${prefix.slice(1)}_${version}`;
}

/** `/api/v1` or `/apis/apps/v1`. */
export function groupVersionRoot(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** All path items of one resource and its served subresources. */
export function resourcePaths(r: ResourceInfo): PathItem[] {
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: r.kind };
  const kindKey = `${r.group}/${r.version}/${r.kind}`;
  const listKey = `${r.group}/${r.version}/${r.kind}List`;
  const id = `${groupPrefix(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}`;
  const scope = r.namespaced ? 'Namespaced' : '';
  const root = groupVersionRoot(r.group, r.version);
  const nsPath = r.namespaced ? '/namespaces/{namespace}' : '';
  const nameParam: Param = { name: 'name', in: 'path', type: 'string', required: true, description: `name of the ${r.kind}` };
  const scopeParams = r.namespaced ? [NAMESPACE] : [];
  const tag = tagOf(r.group, r.version);
  const has = (verb: string): boolean => r.verbs.includes(verb);
  const op = (o: Omit<Operation, 'gvk' | 'tag' | 'streaming'> & { streaming?: boolean }): Operation => ({
    streaming: false,
    ...o,
    gvk,
    tag,
  });
  const ok = (kind: string): Operation['responses'][number] => ({ code: '200', description: 'OK', kind });
  const unauthorized = { code: '401', description: 'Unauthorized' };
  const items: PathItem[] = [];

  const collection: Operation[] = [];
  if (has('list')) {
    collection.push(
      op({
        method: 'get',
        operationId: `list${id}${scope}${r.kind}`,
        description: `list or watch objects of kind ${r.kind}`,
        action: 'list',
        params: LIST_PARAMS,
        responses: [ok(listKey), unauthorized],
      }),
    );
  }
  if (has('create')) {
    collection.push(
      op({
        method: 'post',
        operationId: `create${id}${scope}${r.kind}`,
        description: `create a ${r.kind}`,
        action: 'post',
        params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        body: { kind: kindKey, required: true, contentTypes: ['*/*'] },
        responses: [
          ok(kindKey),
          { code: '201', description: 'Created', kind: kindKey },
          { code: '202', description: 'Accepted', kind: kindKey },
          unauthorized,
        ],
      }),
    );
  }
  if (has('deletecollection')) {
    collection.push(
      op({
        method: 'delete',
        operationId: `delete${id}Collection${scope}${r.kind}`,
        description: `delete collection of ${r.kind}`,
        action: 'deletecollection',
        params: [...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks')].sort((a, b) =>
          a.name.localeCompare(b.name),
        ),
        body: { kind: DELETE_OPTIONS, required: false, contentTypes: ['*/*'] },
        responses: [ok(STATUS), unauthorized],
      }),
    );
  }
  if (collection.length === 1) {
    // kube-openapi moves the parameters every operation of a path shares up to the path: with a lone POST (the
    // create-only review APIs), all of them, in name order.
    const params = [...collection[0].params, ...scopeParams, PRETTY].sort((a, b) => a.name.localeCompare(b.name));
    items.push({ path: `${root}${nsPath}/${r.resource}`, params, operations: [{ ...collection[0], params: [] }] });
  } else if (collection.length > 0)
    items.push({ path: `${root}${nsPath}/${r.resource}`, params: [...scopeParams, PRETTY], operations: collection });

  const item: Operation[] = [];
  if (has('get')) {
    item.push(
      op({
        method: 'get',
        operationId: `read${id}${scope}${r.kind}`,
        description: `read the specified ${r.kind}`,
        action: 'get',
        params: [],
        responses: [ok(kindKey), unauthorized],
      }),
    );
  }
  if (has('update')) {
    item.push(
      op({
        method: 'put',
        operationId: `replace${id}${scope}${r.kind}`,
        description: `replace the specified ${r.kind}`,
        action: 'put',
        params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        body: { kind: kindKey, required: true, contentTypes: ['*/*'] },
        responses: [ok(kindKey), { code: '201', description: 'Created', kind: kindKey }, unauthorized],
      }),
    );
  }
  if (has('patch')) item.push(patchOperation(op, `patch${id}${scope}${r.kind}`, `partially update the specified ${r.kind}`, kindKey));
  if (has('delete')) {
    item.push(
      op({
        method: 'delete',
        operationId: `delete${id}${scope}${r.kind}`,
        description: `delete a ${r.kind}`,
        action: 'delete',
        params: DELETE_PARAMS,
        body: { kind: DELETE_OPTIONS, required: false, contentTypes: ['*/*'] },
        responses: [ok(STATUS), { code: '202', description: 'Accepted', kind: STATUS }, unauthorized],
      }),
    );
  }
  if (item.length > 0)
    items.push({ path: `${root}${nsPath}/${r.resource}/{name}`, params: [nameParam, ...scopeParams, PRETTY], operations: item });

  for (const sub of r.subresources) {
    const subKind = sub.kind ?? gvk;
    const subKey = `${subKind.group}/${subKind.version}/${subKind.kind}`;
    const suffix = sub.name.charAt(0).toUpperCase() + sub.name.slice(1);
    const ops: Operation[] = [];
    if (sub.verbs.includes('get')) {
      ops.push(
        op({
          method: 'get',
          operationId: `read${id}${scope}${r.kind}${suffix}`,
          description: `read ${sub.name} of the specified ${r.kind}`,
          action: 'get',
          params: [],
          responses: [ok(subKey), unauthorized],
        }),
      );
    }
    if (sub.verbs.includes('update')) {
      ops.push(
        op({
          method: 'put',
          operationId: `replace${id}${scope}${r.kind}${suffix}`,
          description: `replace ${sub.name} of the specified ${r.kind}`,
          action: 'put',
          params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
          body: { kind: subKey, required: true, contentTypes: ['*/*'] },
          responses: [ok(subKey), { code: '201', description: 'Created', kind: subKey }, unauthorized],
        }),
      );
    }
    // The query parameters of a path's only operation are listed once for the path, as kube's spec has them.
    let pathQuery: Param[] = [];
    if (sub.verbs.includes('create')) {
      // POST-only subresources (serviceaccounts/token: "create token of a ServiceAccount"), tagged with the kind they take.
      pathQuery = sub.verbs.length === 1 ? [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION] : [];
      ops.push({
        ...op({
          method: 'post',
          operationId: `create${id}${scope}${r.kind}${suffix}`,
          description: `create ${sub.name} of a ${r.kind}`,
          action: 'post',
          params: pathQuery.length > 0 ? [] : [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
          body: { kind: subKey, required: true, contentTypes: ['*/*'] },
          responses: [
            ok(subKey),
            { code: '201', description: 'Created', kind: subKey },
            { code: '202', description: 'Accepted', kind: subKey },
            unauthorized,
          ],
        }),
        gvk: subKind,
      });
    }
    if (sub.verbs.includes('patch'))
      ops.push(
        patchOperation(op, `patch${id}${scope}${r.kind}${suffix}`, `partially update ${sub.name} of the specified ${r.kind}`, subKey),
      );
    if (ops.length > 0) {
      const subNameParam = { ...nameParam, description: `name of the ${subKind.kind}` };
      items.push({
        path: `${root}${nsPath}/${r.resource}/{name}/${sub.name}`,
        params: [...pathQuery, subNameParam, ...scopeParams, PRETTY],
        operations: ops,
      });
    }
  }

  if (has('watch')) {
    const watchOp = (operationId: string, description: string, action: Action): Operation =>
      op({
        method: 'get',
        operationId,
        description,
        action,
        params: LIST_PARAMS,
        responses: [ok(WATCH_EVENT), unauthorized],
        streaming: true,
      });
    const watchRoot = `${root}/watch`;
    items.push({
      path: `${watchRoot}${nsPath}/${r.resource}`,
      params: [...scopeParams, PRETTY],
      operations: [
        watchOp(
          `watch${id}${scope}${r.kind}List`,
          `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
          'watchlist',
        ),
      ],
    });
    items.push({
      path: `${watchRoot}${nsPath}/${r.resource}/{name}`,
      params: [nameParam, ...scopeParams, PRETTY],
      operations: [
        watchOp(
          `watch${id}${scope}${r.kind}`,
          `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
          'watch',
        ),
      ],
    });
    if (r.namespaced) {
      items.push({
        path: `${watchRoot}/${r.resource}`,
        params: [PRETTY],
        operations: [
          watchOp(
            `watch${id}${r.kind}ListForAllNamespaces`,
            `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
            'watchlist',
          ),
        ],
      });
    }
  }
  if (r.namespaced && has('list')) {
    items.push({
      path: `${root}/${r.resource}`,
      params: [PRETTY],
      operations: [
        op({
          method: 'get',
          operationId: `list${id}${r.kind}ForAllNamespaces`,
          description: `list or watch objects of kind ${r.kind}`,
          action: 'list',
          params: LIST_PARAMS,
          responses: [ok(listKey), unauthorized],
        }),
      ],
    });
  }
  return items;
}

function patchOperation(
  op: (o: Omit<Operation, 'gvk' | 'tag' | 'streaming'>) => Operation,
  operationId: string,
  description: string,
  kindKey: string,
): Operation {
  return op({
    method: 'patch',
    operationId,
    description,
    action: 'patch',
    params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
    body: { kind: PATCH_KIND, required: true, contentTypes: PATCH_CONTENT_TYPES },
    responses: [ok200(kindKey), { code: '201', description: 'Created', kind: kindKey }, { code: '401', description: 'Unauthorized' }],
  });
}

function ok200(kind: string): Operation['responses'][number] {
  return { code: '200', description: 'OK', kind };
}

/** The request body of every PATCH: meta/v1 Patch, an opaque object (the patch type is the Content-Type). */
export const PATCH_KIND = 'meta/v1/Patch';
