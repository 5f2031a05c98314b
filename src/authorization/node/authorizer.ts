// The Node authorizer (plugin/pkg/auth/authorizer/node/node_authorizer.go, with pkg/auth/nodeidentifier): a kubelet
// — user `system:node:<name>` in group `system:nodes` — may read the secrets, configmaps, claims, volumes and
// service account tokens of the pods bound to its node, its own Node, Lease and CSINode, and what kube's static
// node rules (the system:node ClusterRole's) grant. Anything else is NoOpinion with kube's reason, so a later mode
// (RBAC) may still allow it; other users get NoOpinion with no reason. Feature gates as kube v1.34 has them by
// default: AuthorizeNodeWithSelectors (GA) and KubeletServiceAccountTokenForCredentialProviders (beta) on,
// PodCertificateRequest (alpha) off.
import { parseFieldSelector, type FieldRequirement } from '../../apimachinery/fields.js';
import type { UserInfo } from '../../apimachinery/user.js';
import type { Attributes, AuthorizationResult, Authorizer } from '../index.js';
import { bootstrapPolicy } from '../rbac/bootstrap-policy.js';
import { ruleAllows, type PolicyRule } from '../rbac/rules.js';
import type { RuleResolver, RulesForResult } from '../rules-for.js';
import type { VertexType } from './graph.js';

/** What the authorizer reads: whether an object leads to a node (the graph, from memory). */
export interface NodeGraphSource {
  hasPathFrom(node: string, type: VertexType, namespace: string, name: string): boolean;
}

const NODE_USER_PREFIX = 'system:node:';
const NODES_GROUP = 'system:nodes';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** nodeidentifier.NodeIdentity: the node's name, or undefined when the user is not a node. */
export function nodeIdentity(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  return user.name.slice(NODE_USER_PREFIX.length);
}

/** bootstrappolicy.NodeRules: the rules of kube's system:node ClusterRole, which the Node authorizer applies itself. */
export function bootstrapNodeRules(): PolicyRule[] {
  const role = bootstrapPolicy().clusterRoles.find((r) => r.metadata?.name === 'system:node') as { rules?: PolicyRule[] } | undefined;
  if (!role?.rules) throw new Error('the bootstrap policy has no system:node ClusterRole');
  return role.rules;
}

const ALLOW: AuthorizationResult = { decision: 'Allow', reason: '' };
const noOpinion = (reason = ''): AuthorizationResult => ({ decision: 'NoOpinion', reason });

export class NodeAuthorizer implements Authorizer, RuleResolver {
  constructor(
    private readonly graph: NodeGraphSource,
    /** bootstrappolicy.NodeRules: what every node may do with the resources the graph does not subdivide. */
    private readonly nodeRules: readonly PolicyRule[],
  ) {}

  authorize(a: Attributes): AuthorizationResult {
    const node = nodeIdentity(a.user);
    if (node === undefined) return noOpinion();
    if (node === '') return noOpinion(`unknown node for user ${JSON.stringify(a.user.name)}`);
    if (a.resourceRequest) {
      const decided = this.subdivided(node, a);
      if (decided) return decided;
    }
    return this.nodeRules.some((rule) => ruleAllows(a, rule)) ? ALLOW : noOpinion();
  }

  /** The resources whose access depends on the node; undefined for the rest (judged by the static rules). */
  private subdivided(node: string, a: Attributes): AuthorizationResult | undefined {
    switch (`${a.apiGroup}/${a.resource}`) {
      case '/secrets':
        return this.readNamespacedObject(node, 'secret', a);
      case '/configmaps':
        return this.readNamespacedObject(node, 'configmap', a);
      case '/persistentvolumeclaims':
        return a.subresource === 'status' ? this.statusUpdate(node, 'pvc', a) : this.get(node, 'pvc', a);
      case '/persistentvolumes':
        return this.get(node, 'pv', a);
      case 'resource.k8s.io/resourceclaims':
        return this.get(node, 'resourceclaim', a);
      case 'storage.k8s.io/volumeattachments':
        return this.get(node, 'volumeattachment', a);
      case '/serviceaccounts':
        // KubeletServiceAccountTokenForCredentialProviders is on: a node may get the service accounts of its pods.
        if (a.verb === 'get' && a.subresource === '') return this.readNamespacedObject(node, 'serviceAccount', a);
        return this.createToken(node, a);
      case 'coordination.k8s.io/leases':
        return this.lease(node, a);
      case 'storage.k8s.io/csinodes':
        return this.csiNode(node, a);
      case 'resource.k8s.io/resourceslices':
        return this.resourceSlice(node, a);
      case '/nodes':
        return this.nodeObject(node, a);
      case '/pods':
        return this.pod(node, a);
      default:
        return undefined;
    }
  }

  /** authorizeStatusUpdate. */
  private statusUpdate(node: string, type: VertexType, a: Attributes): AuthorizationResult {
    if (a.verb !== 'update' && a.verb !== 'patch') return noOpinion('can only get/update/patch this type');
    return this.related(node, type, a);
  }

  /** authorizeGet. */
  private get(node: string, type: VertexType, a: Attributes): AuthorizationResult {
    if (a.verb !== 'get') return noOpinion('can only get individual resources of this type');
    if (a.subresource !== '') return noOpinion('cannot get subresource');
    return this.related(node, type, a);
  }

  /** authorizeReadNamespacedObject: get, list and watch of single objects. */
  private readNamespacedObject(node: string, type: VertexType, a: Attributes): AuthorizationResult {
    if (a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch') return noOpinion('can only read resources of this type');
    if (a.subresource !== '') return noOpinion('cannot read subresource');
    if (a.namespace === '') return noOpinion('can only read namespaced object of this type');
    return this.related(node, type, a);
  }

  /** authorize: allowed when the named object leads to the node. */
  private related(node: string, type: VertexType, a: Attributes): AuthorizationResult {
    if (a.name === '') return noOpinion('No Object name found');
    return this.graph.hasPathFrom(node, type, a.namespace, a.name) ? ALLOW : noRelationship(node);
  }

  /** authorizeCreateToken: the token subresource of the service accounts of the node's pods. */
  private createToken(node: string, a: Attributes): AuthorizationResult {
    if (a.verb !== 'create' || a.name === '') return noOpinion('can only create tokens for individual service accounts');
    if (a.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
    return this.graph.hasPathFrom(node, 'serviceAccount', a.namespace, a.name) ? ALLOW : noRelationship(node);
  }

  /** authorizeLease: the node's own Lease in kube-node-lease (NodeRestriction checks the name on create). */
  private lease(node: string, a: Attributes): AuthorizationResult {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) {
      return noOpinion('can only get, create, update, patch, or delete a node lease');
    }
    if (a.namespace !== NODE_LEASE_NAMESPACE) return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
    return ALLOW;
  }

  /** authorizeCSINode. */
  private csiNode(node: string, a: Attributes): AuthorizationResult {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) {
      return noOpinion('can only get, create, update, patch, or delete a CSINode');
    }
    if (a.subresource !== '') return noOpinion('cannot authorize CSINode subresources');
    if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access CSINode with the same name as the requesting node');
    return ALLOW;
  }

  /** authorizeResourceSlice (AuthorizeNodeWithSelectors on: lists need the node's field selector). */
  private resourceSlice(node: string, a: Attributes): AuthorizationResult {
    if (a.subresource !== '') return noOpinion('cannot authorize ResourceSlice subresources');
    switch (a.verb) {
      case 'create':
        return ALLOW;
      case 'get':
      case 'update':
      case 'patch':
      case 'delete':
        return this.related(node, 'resourceslice', a);
      case 'watch':
      case 'list':
      case 'deletecollection':
        if (selectsNode(a, 'spec.nodeName', node)) return ALLOW;
        return noOpinion('can only list/watch/deletecollection resourceslices with nodeName field selector');
      default:
        return noOpinion(
          'only the following verbs are allowed for a ResourceSlice: get, watch, list, create, update, patch, delete, deletecollection',
        );
    }
  }

  /** authorizeNode: a node reads only its own Node; writes are NodeRestriction's to limit. */
  private nodeObject(node: string, a: Attributes): AuthorizationResult {
    if (a.subresource === '') {
      if (a.verb === 'create' || a.verb === 'update' || a.verb === 'patch') return ALLOW;
      if (a.verb === 'get' || a.verb === 'list' || a.verb === 'watch') {
        if (a.name === node) return ALLOW;
        if (a.name === '') return noOpinion(`node '${node}' cannot read all nodes, only its own Node object`);
        return noOpinion(`node '${node}' cannot read '${a.name}', only its own Node object`);
      }
    } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) return ALLOW;
    return noOpinion();
  }

  /** authorizePod: its own pods by name or by the spec.nodeName field selector; mirror pod and status writes. */
  private pod(node: string, a: Attributes): AuthorizationResult {
    if (a.subresource === '') {
      switch (a.verb) {
        case 'get':
          return this.get(node, 'pod', a);
        case 'list':
        case 'watch':
          if (selectsNode(a, 'spec.nodeName', node)) return ALLOW;
          if (a.name !== '') return this.related(node, 'pod', a);
          return noOpinion('can only list/watch pods with spec.nodeName field selector');
        case 'create':
        case 'delete':
          return ALLOW;
      }
    } else if (a.subresource === 'status') {
      if (a.verb === 'update' || a.verb === 'patch') return ALLOW;
    } else if (a.subresource === 'eviction' && a.verb === 'create') return ALLOW;
    return noOpinion();
  }

  /** RulesFor: a node's permissions are not enumerable. */
  rulesFor(user: UserInfo): RulesForResult {
    if (nodeIdentity(user) !== undefined) {
      return {
        resourceRules: [],
        nonResourceRules: [],
        incomplete: true,
        errors: ['node authorizer does not support user rule resolution'],
      };
    }
    return { resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] };
  }
}

function noRelationship(node: string): AuthorizationResult {
  return noOpinion(`no relationship found between node '${node}' and this object`);
}

/** Whether the request's field selector has `field=<node>` (a selector that does not parse selects nothing here). */
function selectsNode(a: Attributes, field: string, node: string): boolean {
  if (!a.fieldSelector) return false;
  let requirements: readonly FieldRequirement[];
  try {
    requirements = parseFieldSelector(a.fieldSelector).requirements();
  } catch {
    return false;
  }
  return requirements.some((r) => r.field === field && r.operator === '=' && r.value === node);
}
