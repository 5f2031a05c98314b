// networking.k8s.io and discovery.k8s.io rows: Ingress, IngressClass, NetworkPolicy, EndpointSlice, IPAddress,
// ServiceCIDR.
import { NONE, formatLabelSelector, listWithMore, loadBalancerAddresses, nameOf, str } from './format.js';
import { age } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

/** formatHosts: the first three non-empty hosts, ` + <n> more...` counted over all rules, `*` when none. */
function formatHosts(rules: Json[] | undefined): string {
  if (!Array.isArray(rules)) return '*';
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule?.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${rules.length - max} more...` : ret;
}

export const ingresses: Printer = {
  columns: ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
  cells(obj, nowMs): Cell[] {
    const spec = obj.spec ?? {};
    return [
      nameOf(obj),
      typeof spec.ingressClassName === 'string' ? spec.ingressClassName : NONE,
      formatHosts(spec.rules),
      loadBalancerAddresses(obj.status?.loadBalancer?.ingress).join(','),
      Array.isArray(spec.tls) && spec.tls.length > 0 ? '80, 443' : '80',
      age(obj, nowMs),
    ];
  },
};

function ingressClassParameters(parameters: Json): string {
  if (!parameters) return NONE;
  const kind = typeof parameters.apiGroup === 'string' ? `${str(parameters.kind)}.${parameters.apiGroup}` : str(parameters.kind);
  return `${kind}/${str(parameters.name)}`;
}

export const ingressClasses: Printer = {
  columns: ['Name', 'Controller', 'Parameters', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), str(obj.spec?.controller), ingressClassParameters(obj.spec?.parameters), age(obj, nowMs)],
};

export const networkPolicies: Printer = {
  columns: ['Name', 'Pod-Selector', 'Age'],
  // podSelector is a struct, not a pointer: absent means the empty selector (everything), printed `<none>`.
  cells: (obj, nowMs) => [nameOf(obj), formatLabelSelector(obj.spec?.podSelector ?? {}), age(obj, nowMs)],
};

/** formatDiscoveryPorts / formatDiscoveryEndpoints: the first three values, ` + <n> more...`, `<unset>` if none. */
function sliceTargets<T>(items: T[], render: (item: T) => string[]): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let total = 0;
  for (const item of items) {
    for (const value of render(item)) {
      if (list.length < max) list.push(value);
      else more = true;
      total++;
    }
  }
  return listWithMore(list, more, total, max);
}

/** A slice port prints as its number, else its name, else `*`. */
function portLabel(port: Json): string[] {
  if (typeof port?.port === 'number') return [String(port.port)];
  if (typeof port?.name === 'string') return [port.name];
  return ['*'];
}

function endpointAddresses(endpoint: Json): string[] {
  return Array.isArray(endpoint?.addresses) ? endpoint.addresses.map(str) : [];
}

export const endpointSlices: Printer = {
  columns: ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
  cells(obj, nowMs): Cell[] {
    const ports: Json[] = Array.isArray(obj.ports) ? obj.ports : [];
    const endpoints: Json[] = Array.isArray(obj.endpoints) ? obj.endpoints : [];
    return [nameOf(obj), str(obj.addressType), sliceTargets(ports, portLabel), sliceTargets(endpoints, endpointAddresses), age(obj, nowMs)];
  },
};

/**
 * networking.k8s.io IPAddress (printIPAddress): name and the parent as group-resource/namespace/name. kube's row
 * also carries the age, a third cell that no column names.
 */
export const ipAddresses: Printer = {
  columns: ['Name', 'ParentRef'],
  extraCells: 1,
  cells: (obj, nowMs) => {
    const ref: Json | undefined = obj.spec?.parentRef;
    let parent = NONE;
    if (ref != null) {
      // schema.GroupResource's String(): the resource alone for the core group, else resource.group; lower-cased.
      const group: string = ref.group ?? '';
      const resource: string = ref.resource ?? '';
      parent = (group === '' ? resource : `${resource}.${group}`).toLowerCase();
      if (ref.namespace) parent += `/${ref.namespace}`;
      parent += `/${ref.name ?? ''}`;
    }
    return [nameOf(obj), parent, age(obj, nowMs)];
  },
};

/** networking.k8s.io ServiceCIDR (printServiceCIDR): name, the CIDRs joined with commas, age. */
export const serviceCIDRs: Printer = {
  columns: ['Name', 'CIDRs', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), (Array.isArray(obj.spec?.cidrs) ? obj.spec.cidrs : []).join(','), age(obj, nowMs)],
};
