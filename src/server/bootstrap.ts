// Post-start work kube-apiserver does itself: the system namespaces and the default RBAC policy exist before the
// server reports ready.
import type { Logger } from 'winston';
import type { KubeObject } from '../apimachinery/meta.js';
import { deepEqual } from '../apimachinery/objects.js';
import { AUTOUPDATE_ANNOTATION, bootstrapPolicy as defaultPolicy } from '../authorization/rbac/bootstrap-policy.js';
import type { ResourceStore } from '../registry/store.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function bootstrapNamespaces(namespaces: ResourceStore, logger: Logger): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, '', {});
      logger.info(`created namespace ${name}`);
    } catch (e) {
      // Another kgate instance (or an earlier run) made it already.
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
}

export interface PolicyStores {
  clusterRoles: ResourceStore;
  clusterRoleBindings: ResourceStore;
  roles: ResourceStore;
  roleBindings: ResourceStore;
}

/**
 * kube-apiserver's rbac/bootstrap-roles hook: every default role and binding exists; one an operator changed keeps
 * its additions, gains what the default has that it lacks (rules, subjects, labels, annotations), and is left
 * alone entirely when annotated `rbac.authorization.kubernetes.io/autoupdate: "false"` (reconciliation's
 * union mode, without removing extra permissions).
 */
export async function bootstrapPolicy(stores: PolicyStores, logger: Logger): Promise<void> {
  const policy = defaultPolicy();
  const work: [ResourceStore, KubeObject[], 'rules' | 'subjects'][] = [
    [stores.clusterRoles, policy.clusterRoles, 'rules'],
    [stores.roles, policy.roles, 'rules'],
    [stores.clusterRoleBindings, policy.clusterRoleBindings, 'subjects'],
    [stores.roleBindings, policy.roleBindings, 'subjects'],
  ];
  // One write per object, all at once: a fresh etcd gets its 131 objects in a few round trips, not 131.
  await Promise.all(
    work.flatMap(([store, objects, listField]) =>
      objects.map(async (want) => {
        const namespace = want.metadata?.namespace ?? '';
        const name = want.metadata?.name ?? '';
        try {
          const current = await store.get(namespace, name).catch((e) => {
            if ((e as { code?: number }).code === 404) return undefined;
            throw e;
          });
          if (!current) {
            await store.create(want, namespace, { fieldManager: 'kube-apiserver' });
            return;
          }
          const next = reconcile(current, want, listField);
          if (next !== current) await store.update(namespace, name, () => next, { fieldManager: 'kube-apiserver' });
        } catch (e) {
          // Another kgate instance reconciling at the same moment: what it wrote is the same policy.
          if ((e as { code?: number }).code !== 409) throw e;
          logger.warn(`bootstrap policy: ${store.info.resource} ${name}: ${(e as Error).message}`);
        }
      }),
    ),
  );
}

function reconcile(current: KubeObject, want: KubeObject, listField: 'rules' | 'subjects'): KubeObject {
  const meta = current.metadata ?? {};
  if (meta.annotations?.[AUTOUPDATE_ANNOTATION] === 'false') return current;
  // roleRef is immutable: a binding pointing elsewhere is the operator's choice.
  if (want.roleRef && !deepEqual(current.roleRef, want.roleRef)) return current;
  const next = structuredClone(current);
  next.metadata = {
    ...meta,
    labels: { ...want.metadata?.labels, ...meta.labels },
    annotations: { ...want.metadata?.annotations, ...meta.annotations },
  };
  const have: unknown[] = (next[listField] as unknown[] | undefined) ?? [];
  const missing = ((want[listField] as unknown[] | undefined) ?? []).filter((w) => !have.some((h) => deepEqual(h, w)));
  if (missing.length > 0) next[listField] = [...have, ...missing];
  if (want.aggregationRule && !next.aggregationRule) next.aggregationRule = want.aggregationRule;
  return deepEqual(next, current) ? current : next;
}

/** The classes kube-apiserver's scheduling/bootstrap-system-priority-classes hook creates (schedulingv1 helpers.go). */
export const SYSTEM_PRIORITY_CLASSES: KubeObject[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: 2000000000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** Each system PriorityClass exists; one already there (made by another instance or an earlier run) is left alone. */
export async function bootstrapPriorityClasses(priorityClasses: ResourceStore, logger: Logger): Promise<void> {
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    try {
      await priorityClasses.create(structuredClone(pc), '', { fieldManager: 'kube-apiserver' });
      logger.info(`created PriorityClass ${pc.metadata?.name} with value ${pc.value}`);
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
}

/**
 * A stand-in for kube-controller-manager's serviceaccounts controller, which kgate does not run: every namespace has
 * a `default` ServiceAccount, for ServiceAccount admission to assign to pods. A namespace created through kgate gets
 * it before its create returns (see `afterCreate` in app.ts); at start-up every namespace that lacks one (the system
 * namespaces, namespaces written before this existed) gets it too. Terminating namespaces are left alone.
 */
export async function ensureDefaultServiceAccount(serviceAccounts: ResourceStore, namespace: KubeObject): Promise<void> {
  const name = namespace.metadata?.name;
  if (!name || namespace.metadata?.deletionTimestamp || namespace.status?.phase === 'Terminating') return;
  try {
    await serviceAccounts.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } }, name, {
      fieldManager: 'kube-controller-manager',
    });
  } catch (e) {
    if ((e as { code?: number }).code !== 409) throw e;
  }
}

export async function bootstrapDefaultServiceAccounts(namespaces: ResourceStore, serviceAccounts: ResourceStore): Promise<void> {
  const [nsList, saList] = await Promise.all([
    namespaces.list({ namespace: '', filter: {} }),
    serviceAccounts.list({ namespace: '', filter: {} }),
  ]);
  const have = new Set(saList.items.filter((sa) => sa.metadata?.name === 'default').map((sa) => sa.metadata?.namespace));
  await Promise.all(
    nsList.items.filter((ns) => !have.has(ns.metadata?.name)).map((ns) => ensureDefaultServiceAccount(serviceAccounts, ns)),
  );
}
