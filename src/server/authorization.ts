// The authorization side of the server, assembled from --authorization-mode (pkg/kubeapiserver/authorizer's
// config and reload.go): the authorizer chain with system:masters first, the rule resolvers behind
// SelfSubjectRulesReview, and the in-memory state RBAC and the Node authorizer decide from. Also the request's
// authorizer attributes (filters.GetAuthorizerAttributes), which app.ts's filter asks the chain about.
import type { Logger } from 'winston';
import { parseFieldSelector } from '../apimachinery/fields.js';
import type { UserInfo } from '../apimachinery/user.js';
import { alwaysAllow, alwaysDeny, AuthorizerChain, privilegedGroups, type Attributes, type Authorizer } from '../authorization/index.js';
import { bootstrapNodeRules, NodeAuthorizer } from '../authorization/node/authorizer.js';
import { NodeGraphPopulator } from '../authorization/node/graph-populator.js';
import { RBACAuthorizer } from '../authorization/rbac/authorizer.js';
import { PolicyCache } from '../authorization/rbac/policy-cache.js';
import { RBACRuleResolver } from '../authorization/rbac/rules-for.js';
import { alwaysAllowRules, alwaysDenyRules, RuleResolverChain } from '../authorization/rules-for.js';
import { WebhookAuthorizer } from '../authorization/webhook.js';
import type { RequestInfo } from '../endpoints/requestinfo.js';
import type { Scheme } from '../scheme/index.js';
import type { Storage } from '../storage/interface.js';
import type { AuthorizationMode, KgateConfig } from './config.js';
import { webhookPoster } from './webhook-client.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface Authorization {
  modes: readonly AuthorizationMode[];
  authorizer: AuthorizerChain;
  ruleResolver: RuleResolverChain;
  /** RBAC's roles and bindings in memory (with RBAC among the modes). */
  policy?: PolicyCache;
  /** The Node authorizer's graph (with Node among the modes). */
  nodeGraph?: NodeGraphPopulator;
  nodeAuthorizer?: NodeAuthorizer;
}

/**
 * The chain for the configured modes. `storage` is what RBAC's and the Node authorizer's informers follow (the watch
 * cache when on); `etcdPrefix` has no trailing slash.
 */
export function buildAuthorization(
  config: KgateConfig,
  scheme: Scheme,
  storage: Storage,
  etcdPrefix: string,
  logger: Logger,
): Authorization {
  const prefixOf = (group: string, resource: string) => {
    const r = scheme.resources.find((x) => x.stored && x.group === group && x.resource === resource);
    return r && `${etcdPrefix}/${r.storagePrefix}/`;
  };
  const modes: readonly AuthorizationMode[] = config.authorization?.modes ?? ['RBAC'];
  const policy = modes.includes('RBAC')
    ? new PolicyCache(storage, {
        clusterRoles: prefixOf(RBAC_GROUP, 'clusterroles')!,
        clusterRoleBindings: prefixOf(RBAC_GROUP, 'clusterrolebindings')!,
        roles: prefixOf(RBAC_GROUP, 'roles')!,
        roleBindings: prefixOf(RBAC_GROUP, 'rolebindings')!,
      })
    : undefined;
  // --authorization-mode=Node: the graph of what each node may reach, kept from the pods and volumes in memory.
  const nodeGraph = modes.includes('Node')
    ? new NodeGraphPopulator(storage, {
        pods: prefixOf('', 'pods')!,
        persistentVolumes: prefixOf('', 'persistentvolumes')!,
        volumeAttachments: prefixOf('storage.k8s.io', 'volumeattachments'),
        resourceSlices: prefixOf('resource.k8s.io', 'resourceslices'),
      })
    : undefined;
  const nodeAuthorizer = nodeGraph && new NodeAuthorizer(nodeGraph, bootstrapNodeRules());
  const webhookAuthorization = config.authorization?.webhook;
  // kube puts system:masters ahead of the whole chain whatever the modes (reload.go's newForConfig:
  // authorizerfactory.NewPrivilegedGroups first), AlwaysDeny included.
  const authorizer = new AuthorizerChain([
    privilegedGroups('system:masters'),
    ...modes.map((mode): Authorizer => {
      if (mode === 'AlwaysAllow') return alwaysAllow;
      if (mode === 'AlwaysDeny') return alwaysDeny;
      if (mode === 'Node') return nodeAuthorizer!;
      if (mode === 'Webhook') {
        if (!webhookAuthorization) throw new Error("authorization-mode Webhook's authorization config file not passed");
        return new WebhookAuthorizer(webhookPoster(webhookAuthorization.client), {
          ...webhookAuthorization,
          log: (message) => logger.error(message),
        });
      }
      return new RBACAuthorizer(policy!);
    }),
  ]);
  // SelfSubjectRulesReview's rule resolvers, in mode order (kube's RuleResolver union; system:masters lists none).
  const ruleResolver = new RuleResolverChain(
    modes.flatMap((mode) => {
      if (mode === 'AlwaysAllow') return [alwaysAllowRules];
      if (mode === 'AlwaysDeny') return [alwaysDenyRules];
      if (mode === 'Node') return [nodeAuthorizer!];
      return mode === 'RBAC' ? [new RBACRuleResolver(policy!)] : [];
    }),
  );
  return { modes, authorizer, ruleResolver, policy, nodeGraph, nodeAuthorizer };
}

/**
 * requestinfo.go: a list or watch whose fieldSelector pins metadata.name to a valid path segment is authorized
 * as a request for that name (so RBAC's resourceNames and webhooks see it).
 */
function listedName(info: RequestInfo, query: URLSearchParams): string {
  const raw = query.get('fieldSelector');
  if (info.name !== '' || (info.verb !== 'list' && info.verb !== 'watch') || raw === null) return info.name;
  let name: string | undefined;
  try {
    name = parseFieldSelector(raw).requiresExactMatch('metadata.name');
  } catch {
    return info.name;
  }
  // path.IsValidPathSegmentName.
  if (name === undefined || name === '.' || name === '..' || name.includes('/') || name.includes('%')) return info.name;
  return name;
}

/** The verbs whose selectors are authorized (requestinfo.go's verbsWithSelectors). */
const VERBS_WITH_SELECTORS = new Set(['list', 'watch', 'deletecollection']);

/** authorizer.AttributesRecord from the parsed request (filters.GetAuthorizerAttributes). */
export function attributesOf(info: RequestInfo, user: UserInfo, query?: URLSearchParams): Attributes {
  // AuthorizeWithSelectors (on by default in v1.34): the raw selectors of list, watch and deletecollection, but
  // not of the deprecated /watch/ path form.
  const viaWatchPath = /^\/(api\/[^/]+|apis\/[^/]+\/[^/]+)\/watch(\/|$)/.test(info.path);
  const selectors =
    query && info.isResourceRequest && VERBS_WITH_SELECTORS.has(info.verb) && !viaWatchPath
      ? {
          ...(query.has('labelSelector') && { labelSelector: query.get('labelSelector') as string }),
          ...(query.has('fieldSelector') && { fieldSelector: query.get('fieldSelector') as string }),
        }
      : {};
  return {
    ...selectors,
    user,
    verb: info.verb,
    // kube's RequestInfo keeps /namespaces/{name} as the namespace of a request on that namespace (and its status
    // and finalize), so a Role in a namespace may grant reading the namespace itself and a 403 says "in the
    // namespace"; kgate's RequestInfo clears it for storage, where a namespace is cluster-scoped.
    namespace: info.isResourceRequest && info.resource === 'namespaces' ? info.name : info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: query && info.isResourceRequest && !viaWatchPath ? listedName(info, query) : info.name,
    resourceRequest: info.isResourceRequest,
    path: info.path,
  };
}
