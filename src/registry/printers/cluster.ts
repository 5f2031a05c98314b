// Rows for policy, rbac, coordination and scheduling kinds: PodDisruptionBudget, (Cluster)RoleBinding, Lease,
// PriorityClass, RuntimeClass.
import { int, intOrString, nameOf, str } from './format.js';
import { age } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

function orNA(v: unknown): string {
  return v === undefined || v === null ? 'N/A' : intOrString(v);
}

export const podDisruptionBudgets: Printer = {
  columns: ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'],
  cells: (obj, nowMs) => [
    nameOf(obj),
    orNA(obj.spec?.minAvailable),
    orNA(obj.spec?.maxUnavailable),
    int(obj.status?.disruptionsAllowed),
    age(obj, nowMs),
  ],
};

/** rbac.SubjectsStrings: users and groups by name, service accounts as `<namespace>/<name>`. */
function subjectColumns(subjects: Json[] | undefined): [users: string, groups: string, serviceAccounts: string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of Array.isArray(subjects) ? subjects : []) {
    switch (s?.kind) {
      case 'ServiceAccount':
        serviceAccounts.push(`${str(s.namespace)}/${str(s.name)}`);
        break;
      case 'User':
        users.push(str(s.name));
        break;
      case 'Group':
        groups.push(str(s.name));
        break;
    }
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

export const roleBindings: Printer = {
  columns: ['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts'],
  cells(obj, nowMs): Cell[] {
    const ref = obj.roleRef ?? {};
    return [nameOf(obj), `${str(ref.kind)}/${str(ref.name)}`, age(obj, nowMs), ...subjectColumns(obj.subjects)];
  },
};

export const leases: Printer = {
  columns: ['Name', 'Holder', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), str(obj.spec?.holderIdentity), age(obj, nowMs)],
};

export const priorityClasses: Printer = {
  columns: ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'],
  // scheduling/v1 defaulting sets preemptionPolicy=PreemptLowerPriority on decode.
  cells: (obj, nowMs) => [
    nameOf(obj),
    int(obj.value),
    obj.globalDefault === true,
    age(obj, nowMs),
    obj.preemptionPolicy ?? 'PreemptLowerPriority',
  ],
};

/** node.k8s.io RuntimeClass (printRuntimeClass): name, handler, age. */
export const runtimeClasses: Printer = {
  columns: ['Name', 'Handler', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), obj.handler ?? '', age(obj, nowMs)],
};
