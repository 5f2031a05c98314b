// Rows for the small core/v1 kinds. Where a field is absent, the v1 default is printed, because kube prints
// objects decoded from storage with SetDefaults_* applied (kinds sheet §0.5 and each kind's Defaults table).
import { NONE, containerCells, count, formatLabels, int, nameOf, quantity, str } from './format.js';
import { age } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

export const namespaces: Printer = {
  columns: ['Name', 'Status', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), obj.status?.phase || 'Active', age(obj, nowMs)],
};

export const configMaps: Printer = {
  columns: ['Name', 'Data', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), count(obj.data) + count(obj.binaryData), age(obj, nowMs)],
};

export const secrets: Printer = {
  columns: ['Name', 'Type', 'Data', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), obj.type || 'Opaque', count(obj.data), age(obj, nowMs)],
};

export const serviceAccounts: Printer = {
  columns: ['Name', 'Secrets', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), count(obj.secrets), age(obj, nowMs)],
};

/** net.JoinHostPort: IPv6 addresses are bracketed. */
function joinHostPort(host: string, port: unknown): string {
  return host.includes(':') ? `[${host}]:${int(port)}` : `${host}:${int(port)}`;
}

/** formatEndpoints with all ports: the first three ip:port pairs, then ` + <n> more...`. */
function formatEndpoints(subsets: Json[] | undefined): string {
  if (!Array.isArray(subsets) || subsets.length === 0) return NONE;
  const max = 3;
  const list: string[] = [];
  let more = false;
  let total = 0;
  for (const ss of subsets) {
    const addresses: Json[] = Array.isArray(ss?.addresses) ? ss.addresses : [];
    const ports: Json[] = Array.isArray(ss?.ports) ? ss.ports : [];
    if (ports.length === 0) {
      // Headless services may have no ports: bare IPs.
      total += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(str(a?.ip));
      }
      continue;
    }
    for (const port of ports) {
      total += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(str(a?.ip), port?.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${total - max} more...` : ret;
}

export const endpoints: Printer = {
  columns: ['Name', 'Endpoints', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), formatEndpoints(obj.subsets), age(obj, nowMs)],
};

/** printResourceQuota: `<name>: <used>/<hard>` per hard limit, sorted by name, `limits.*` in their own column. */
function quotaColumns(status: Json): [request: string, limit: string] {
  const hard: Record<string, unknown> = status?.hard ?? {};
  const used: Record<string, unknown> = status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const entry = `${name}: ${quantity(used[name], '0')}/${quantity(hard[name], '0')}`;
    (name.startsWith('limits.') ? limits : requests).push(entry);
  }
  return [requests.join(', '), limits.join(', ')];
}

export const resourceQuotas: Printer = {
  columns: ['Name', 'Request', 'Limit', 'Age'],
  cells(obj, nowMs) {
    const [request, limit] = quotaColumns(obj.status);
    return [nameOf(obj), request, limit, age(obj, nowMs)];
  },
};

export const replicationControllers: Printer = {
  columns: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
  cells(obj, nowMs): Cell[] {
    const [names, images] = containerCells(obj.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1,
      int(obj.status?.replicas),
      int(obj.status?.readyReplicas),
      age(obj, nowMs),
      names,
      images,
      formatLabels(obj.spec?.selector),
    ];
  },
};

// ---- nodes ------------------------------------------------------------------------------------------------

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

/** Ready / NotReady / Unknown from the last Ready condition, plus SchedulingDisabled for cordoned nodes. */
function nodeStatus(node: Json): string {
  let ready: Json;
  for (const c of Array.isArray(node?.status?.conditions) ? node.status.conditions : []) if (c?.type === 'Ready') ready = c;
  const status = ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  return node?.spec?.unschedulable ? `${status},SchedulingDisabled` : status;
}

function nodeRoles(labels: Record<string, string> | undefined): string {
  if (!labels) return NONE;
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === NODE_ROLE_LABEL && v) roles.add(v);
  }
  return roles.size === 0 ? NONE : [...roles].sort().join(',');
}

function nodeAddress(node: Json, type: string): string {
  for (const a of Array.isArray(node?.status?.addresses) ? node.status.addresses : []) if (a?.type === type) return str(a.address);
  return NONE;
}

export const nodes: Printer = {
  columns: ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
  cells(obj, nowMs): Cell[] {
    const info = obj.status?.nodeInfo ?? {};
    return [
      nameOf(obj),
      nodeStatus(obj),
      nodeRoles(obj.metadata?.labels),
      age(obj, nowMs),
      str(info.kubeletVersion),
      nodeAddress(obj, 'InternalIP'),
      nodeAddress(obj, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
