// Service rows (printService): type, cluster IP, external address and ports. Absent spec.type and port protocol
// print as their v1 defaults (ClusterIP, TCP), which decoding would have set.
import { NONE, formatLabels, int, loadBalancerAddresses, nameOf, str } from './format.js';
import { age } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

/** getServiceExternalIP with wide output (no 16-character clipping). */
export function serviceExternalIP(spec: Json, status: Json): string {
  const type = spec?.type || 'ClusterIP';
  const externalIPs: string[] = Array.isArray(spec?.externalIPs) ? spec.externalIPs : [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : NONE;
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec?.externalName);
  }
  return '<unknown>';
}

/** makePortString: `port/proto` or `port:nodePort/proto`, joined with ','; `<none>` without ports. */
export function servicePorts(ports: Json[] | undefined): string {
  if (!Array.isArray(ports) || ports.length === 0) return NONE;
  let out = '';
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i] ?? {};
    const protocol = p.protocol || 'TCP';
    const nodePort = int(p.nodePort);
    if (i > 0) out += ',';
    out += nodePort > 0 ? `${int(p.port)}:${nodePort}/${protocol}` : `${int(p.port)}/${protocol}`;
  }
  return out;
}

/** The first cluster IP; the v1→internal conversion treats spec.clusterIP as authoritative for clusterIPs[0]. */
function clusterIP(spec: Json): string {
  if (spec?.clusterIP) return spec.clusterIP;
  const ips = spec?.clusterIPs;
  return Array.isArray(ips) && ips.length > 0 && ips[0] ? ips[0] : NONE;
}

export const services: Printer = {
  columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
  cells(obj, nowMs): Cell[] {
    const spec = obj.spec ?? {};
    return [
      nameOf(obj),
      spec.type || 'ClusterIP',
      clusterIP(spec),
      serviceExternalIP(spec, obj.status),
      servicePorts(spec.ports),
      age(obj, nowMs),
      formatLabels(spec.selector),
    ];
  },
};
