// Service validation (kube pkg/apis/core/validation/validation.go: ValidateService, validateServicePort,
// ValidateServiceClusterIPsRelatedFields, validateServiceExternalTrafficPolicy, ValidateServiceUpdate and their
// helpers), plus the two allocator checks kube-apiserver makes before validation (pkg/registry/core/service/
// storage/alloc.go: the clusterIPs fields and the NodePort range), since kgate allocates nothing yet.
import { internalError, type FieldError } from '../../../apimachinery/errors.js';
import {
  isValidCIDRForLegacyField,
  isValidIPForLegacyField,
  parseIPSloppy,
  isIPv4,
  validateNonSpecialIP,
} from '../../../apimachinery/ip.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { objectMetaUpdate } from './objectmeta.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  validateLabels,
} from '../../../apimachinery/validation.js';

const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SUPPORTED_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SUPPORTED_AFFINITY = ['ClientIP', 'None'];
const SUPPORTED_FAMILIES = ['IPv4', 'IPv6'];
const SUPPORTED_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const SUPPORTED_TRAFFIC_POLICIES = ['Cluster', 'Local'];
const SUPPORTED_TRAFFIC_DISTRIBUTION = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
/** kube-apiserver's default --service-node-port-range. */
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';
const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';

type Spec = Record<string, any>;

/** normalizeClusterIPs on create: a lone clusterIP stands for clusterIPs [clusterIP]. */
function clusterIPsOf(spec: Spec): string[] {
  const ips: unknown = spec.clusterIPs;
  if (Array.isArray(ips) && ips.length > 0) return ips as string[];
  return typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? [spec.clusterIP] : [];
}

function isHeadless(ips: string[]): boolean {
  return ips.length === 1 && ips[0] === 'None';
}

function externallyAccessible(spec: Spec): boolean {
  return (
    spec.type === 'LoadBalancer' ||
    spec.type === 'NodePort' ||
    (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
  );
}

function needsHealthCheck(spec: Spec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

function portsOf(spec: Spec): Spec[] {
  return Array.isArray(spec.ports) ? spec.ports : [];
}

/**
 * What kube's Service REST refuses in beginCreate, before the strategy validates: the clusterIPs fields
 * (initIPFamilyFields runs ValidateServiceClusterIPsRelatedFields) and NodePorts outside the range or given twice.
 * A non-empty answer is the whole 422.
 */
export function validateServiceAllocation(svc: KubeObject): FieldError[] {
  const spec: Spec = svc.spec ?? {};
  const ipErrs = validateServiceClusterIPsRelatedFields(svc);
  if (ipErrs.length > 0) return ipErrs;
  const familyErrs = initServiceIPFamilies(svc);
  if (familyErrs.length > 0) return familyErrs;
  return validateNodePortAllocation(spec);
}

/**
 * The rest of initIPFamilyFields for kgate's single-stack IPv4 service network: the policy (defaulted as kube
 * does, from the old object on update), families and clusterIPs the cluster cannot serve. When nothing is
 * refused, the policy and the families are written into the spec as kube's allocator writes them.
 */
export function initServiceIPFamilies(svc: KubeObject, old?: KubeObject, configured: readonly string[] = ['IPv4']): FieldError[] {
  const spec: Spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const oldSpec: Spec | undefined = old?.spec;
  const ips = clusterIPsOf(spec);
  const families: string[] = Array.isArray(spec.ipFamilies) ? [...spec.ipFamilies] : [];
  if (
    oldSpec &&
    oldSpec.ipFamilyPolicy === 'PreferDualStack' &&
    (spec.ipFamilyPolicy ?? 'PreferDualStack') === 'PreferDualStack' &&
    JSON.stringify(ips) === JSON.stringify(clusterIPsOf(oldSpec)) &&
    JSON.stringify(families) === JSON.stringify(oldSpec.ipFamilies ?? [])
  ) {
    return [];
  }
  const noSelector = Object.keys(spec.selector ?? {}).length === 0;
  let policy: string | undefined = spec.ipFamilyPolicy ?? undefined;
  if (policy === undefined) {
    if (oldSpec?.ipFamilyPolicy != null) policy = oldSpec.ipFamilyPolicy;
    else policy = spec.clusterIP === 'None' && noSelector ? 'RequireDualStack' : 'SingleStack';
  }
  const out: FieldError[] = [];
  if (oldSpec && policy !== 'SingleStack') {
    const oldIPs = clusterIPsOf(oldSpec);
    const oldFamilies: string[] = Array.isArray(oldSpec.ipFamilies) ? oldSpec.ipFamilies : [];
    if (ips.length > 0 && ips.length < oldIPs.length) {
      out.push(fieldInvalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary cluster IP"));
    }
    if (families.length > 0 && families.length < oldFamilies.length) {
      out.push(fieldInvalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary IP family"));
    }
  }
  if (policy === 'SingleStack') {
    if (ips.length === 2) {
      out.push(
        fieldInvalid(
          'spec.ipFamilyPolicy',
          policy,
          "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
        ),
      );
    }
    if (families.length === 2) {
      out.push(
        fieldInvalid(
          'spec.ipFamilyPolicy',
          policy,
          "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
        ),
      );
    }
  }
  for (let i = 0; i < ips.length; i++) {
    if (ips[i] === 'None') break;
    if (i < families.length) continue;
    const parsed = parseIPSloppy(ips[i]);
    const family = parsed && isIPv4(parsed) ? 'IPv4' : 'IPv6';
    if (!configured.includes(family)) out.push(fieldInvalid(`spec.clusterIPs[${i}]`, ips, `${family} is not configured on this cluster`));
    else families.push(family);
  }
  if (out.length > 0) return out;
  if (spec.clusterIP === 'None' && noSelector) {
    // A selectorless headless service takes the default family, and the other one too unless SingleStack.
    if (families.length === 0) families.push(configured[0]);
    if (families.length < 2 && policy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    spec.ipFamilyPolicy = policy;
    spec.ipFamilies = families;
    return [];
  }
  if (policy === 'RequireDualStack' && configured.length < 2) {
    out.push(fieldInvalid('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services'));
  }
  families.forEach((f, i) => {
    if (!configured.includes(f)) out.push(fieldInvalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  if (out.length > 0) return out;
  if (families.length === 0) families.push(configured[0]);
  // A service asking for dual-stack on a dual-stack cluster gets the other family too.
  if (policy !== 'SingleStack' && families.length === 1 && configured.length === 2) families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  spec.ipFamilyPolicy = policy;
  spec.ipFamilies = families;
  return out;
}

/** NodePorts outside the range or asked for twice, as the port allocator refuses them. */
function validateNodePortAllocation(spec: Spec): FieldError[] {
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return [];
  // initNodePorts: ports that share a service port number share the NodePort first asked for among them; any
  // other NodePort asked for is allocated on its own, so one number asked for twice is refused the second time.
  const ports = portsOf(spec);
  const allocated = new Set<number>();
  const byServicePort = new Map<unknown, number>();
  const allocate = (np: number, i: number): FieldError[] => {
    const field = `spec.ports[${i}].nodePort`;
    if (np < NODE_PORT_MIN || np > NODE_PORT_MAX) {
      return [
        fieldInvalid(field, np, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`),
      ];
    }
    if (allocated.has(np)) return [fieldInvalid(field, np, 'provided port is already allocated')];
    allocated.add(np);
    return [];
  };
  for (let i = 0; i < ports.length; i++) {
    const np: number = typeof ports[i].nodePort === 'number' ? ports[i].nodePort : 0;
    const shared = byServicePort.get(ports[i].port);
    if (shared === undefined) {
      const j = ports.findIndex((p, k) => k >= i && p.port === ports[i].port && typeof p.nodePort === 'number' && p.nodePort !== 0);
      const requested = j < 0 ? 0 : ports[j].nodePort;
      if (requested !== 0) {
        const errs = allocate(requested, i);
        if (errs.length > 0) return errs;
      }
      byServicePort.set(ports[i].port, requested);
    } else if (np !== 0 && np !== shared) {
      const errs = allocate(np, i);
      if (errs.length > 0) return errs;
    }
  }
  // allocHealthCheckNodePort: its failure is a plain error, which kube answers as a 500.
  const hc: unknown = spec.healthCheckNodePort;
  if (needsHealthCheck(spec) && typeof hc === 'number' && hc !== 0) {
    const why =
      hc < NODE_PORT_MIN || hc > NODE_PORT_MAX
        ? `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`
        : allocated.has(hc)
          ? 'provided port is already allocated'
          : '';
    if (why !== '') throw internalError(`failed to allocate requested HealthCheck NodePort ${hc}: ${why}`);
  }
  return [];
}

/** ValidateService, after ObjectMeta. */
export function validateService(svc: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec: Spec = svc.spec ?? {};
  const annotations: Record<string, string> = svc.metadata?.annotations ?? {};
  const type: string = spec.type ?? '';
  const clusterIPs = clusterIPsOf(spec);
  const headless = isHeadless(clusterIPs);
  const ports = portsOf(spec);

  const hints = annotations[TOPOLOGY_HINTS_ANNOTATION];
  const mode = annotations[TOPOLOGY_MODE_ANNOTATION];
  if (hints !== undefined && mode !== undefined && hints !== mode) {
    out.push(
      fieldInvalid(
        `metadata.annotations[${TOPOLOGY_MODE_ANNOTATION}]`,
        mode,
        `must match annotations[${TOPOLOGY_HINTS_ANNOTATION}] when both are specified`,
      ),
    );
  }

  if (ports.length === 0 && !headless && type !== 'ExternalName') out.push(fieldRequired('spec.ports'));
  switch (type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless) out.push(fieldInvalid('spec.clusterIPs[0]', clusterIPs[0], `may not be set to 'None' for ${type} services`));
      break;
    case 'ExternalName': {
      if (clusterIPs.length > 0) out.push(fieldForbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) {
        out.push(fieldForbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      }
      if (spec.ipFamilyPolicy != null) out.push(fieldForbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      // A CNAME may end in a dot to say it is fully qualified.
      const raw: string = spec.externalName ?? '';
      const cname = raw.endsWith('.') ? raw.slice(0, -1) : raw;
      if (cname.length > 0) for (const msg of isDNS1123Subdomain(cname)) out.push(fieldInvalid('spec.externalName', cname, msg));
      else out.push(fieldRequired('spec.externalName'));
      break;
    }
  }

  const names = new Set<string>();
  for (let i = 0; i < ports.length; i++) validateServicePort(ports[i], ports.length > 1, names, `spec.ports[${i}]`, out);

  if (spec.selector != null) out.push(...validateLabels(spec.selector, 'spec.selector'));

  const affinity: string = spec.sessionAffinity ?? '';
  if (affinity === '') out.push(fieldRequired('spec.sessionAffinity'));
  else if (!SUPPORTED_AFFINITY.includes(affinity)) out.push(fieldNotSupported('spec.sessionAffinity', affinity, SUPPORTED_AFFINITY));
  if (affinity === 'ClientIP') validateClientIPAffinityConfig(spec.sessionAffinityConfig, out);
  else if (affinity === 'None' && spec.sessionAffinityConfig != null) {
    out.push(fieldForbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  out.push(...validateServiceClusterIPsRelatedFields(svc));

  const externalIPs: unknown[] = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  externalIPs.forEach((ip, i) => {
    const field = `spec.externalIPs[${i}]`;
    const value = String(ip);
    const errs = isValidIPForLegacyField(field, value);
    out.push(...(errs.length > 0 ? errs : validateNonSpecialIP(value, field)));
  });

  if (type === '') out.push(fieldRequired('spec.type'));
  else if (!SUPPORTED_TYPES.includes(type)) out.push(fieldNotSupported('spec.type', type, SUPPORTED_TYPES));

  if (type === 'ClusterIP') {
    for (let i = 0; i < ports.length; i++) {
      if (ports[i].nodePort) out.push(fieldForbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
  }

  // Duplicate NodePorts, then duplicate ports, each keyed by (protocol, number).
  const nodePorts = new Set<string>();
  for (let i = 0; i < ports.length; i++) {
    const np = ports[i].nodePort;
    if (!np) continue;
    const key = `${ports[i].protocol ?? ''}/${np}`;
    if (nodePorts.has(key)) out.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}].nodePort`, value: np, detail: '' });
    nodePorts.add(key);
  }
  const seenPorts = new Set<string>();
  for (let i = 0; i < ports.length; i++) {
    const protocol: string = ports[i].protocol ?? '';
    const port: number = ports[i].port ?? 0;
    const key = `${protocol}/${port}`;
    if (seenPorts.has(key)) {
      // The key is a core.ServicePort with only Protocol and Port set, as Go's JSON writes it.
      const value = { Name: '', Protocol: protocol, AppProtocol: null, Port: port, TargetPort: 0, NodePort: 0 };
      out.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}]`, value, detail: '' });
    }
    seenPorts.add(key);
  }

  const ranges: unknown[] = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : [];
  if (ranges.length > 0) {
    // kube's path really is capitalised here.
    const field = 'spec.LoadBalancerSourceRanges';
    if (type !== 'LoadBalancer') out.push(fieldForbidden(field, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => out.push(...isValidCIDRForLegacyField(`${field}[${i}]`, String(r).trim())));
  } else if (annotations[LB_SOURCE_RANGES_ANNOTATION] !== undefined) {
    const field = `metadata.annotations[${LB_SOURCE_RANGES_ANNOTATION}]`;
    if (type !== 'LoadBalancer') out.push(fieldForbidden(field, "may only be used when `type` is 'LoadBalancer'"));
    const val = String(annotations[LB_SOURCE_RANGES_ANNOTATION]).trim();
    if (val !== '') for (const cidr of val.split(',')) out.push(...isValidCIDRForLegacyField(field, cidr.trim()));
  }

  if (spec.allocateLoadBalancerNodePorts != null && type !== 'LoadBalancer') {
    out.push(fieldForbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) out.push(fieldRequired('allocateLoadBalancerNodePorts'));

  validateLoadBalancerClass(spec, out);
  validateExternalTrafficPolicy(spec, out);

  if (spec.internalTrafficPolicy == null) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') out.push(fieldRequired('spec.internalTrafficPolicy'));
  } else if (!SUPPORTED_TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    out.push(fieldNotSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, SUPPORTED_TRAFFIC_POLICIES));
  }
  if (spec.trafficDistribution != null && !SUPPORTED_TRAFFIC_DISTRIBUTION.includes(spec.trafficDistribution)) {
    out.push(fieldNotSupported('spec.trafficDistribution', spec.trafficDistribution, SUPPORTED_TRAFFIC_DISTRIBUTION));
  }
  return out;
}

function validateServicePort(sp: Spec, requireName: boolean, names: Set<string>, path: string, out: FieldError[]): void {
  const name: string = sp.name ?? '';
  if (requireName && name === '') out.push(fieldRequired(`${path}.name`));
  else if (name !== '') {
    for (const msg of isDNS1123Label(name)) out.push(fieldInvalid(`${path}.name`, name, msg));
    if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${path}.name`, value: name, detail: '' });
    else names.add(name);
  }
  const port: number = sp.port ?? 0;
  for (const msg of isValidPortNum(port)) out.push(fieldInvalid(`${path}.port`, port, msg));
  const protocol: string = sp.protocol ?? '';
  if (protocol === '') out.push(fieldRequired(`${path}.protocol`));
  else if (!SUPPORTED_PROTOCOLS.includes(protocol)) out.push(fieldNotSupported(`${path}.protocol`, protocol, SUPPORTED_PROTOCOLS));
  out.push(...validatePortNumOrName(sp.targetPort ?? 0, `${path}.targetPort`));
  if (sp.appProtocol != null) {
    for (const msg of isQualifiedName(sp.appProtocol)) out.push(fieldInvalid(`${path}.appProtocol`, sp.appProtocol, msg));
  }
}

/** ValidatePortNumOrName: an IntOrString port, by number or by IANA_SVC_NAME. */
export function validatePortNumOrName(port: number | string, field: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => fieldInvalid(field, port, msg));
  return isValidPortNum(port).map((msg) => fieldInvalid(field, port, msg));
}

function validateClientIPAffinityConfig(config: Spec | null | undefined, out: FieldError[]): void {
  const detail = 'when session affinity type is ClientIP';
  const path = 'spec.sessionAffinityConfig';
  if (config == null) out.push(fieldRequired(path, detail));
  else if (config.clientIP == null) out.push(fieldRequired(`${path}.clientIP`, detail));
  else if (config.clientIP.timeoutSeconds == null) out.push(fieldRequired(`${path}.clientIP.timeoutSeconds`, detail));
  else {
    const t: number = config.clientIP.timeoutSeconds;
    if (t > MAX_CLIENT_IP_AFFINITY_SECONDS || t <= 0) {
      out.push(
        fieldInvalid(`${path}.clientIP.timeoutSeconds`, t, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`),
      );
    }
  }
}

function validateLoadBalancerClass(spec: Spec, out: FieldError[]): void {
  const cls = spec.loadBalancerClass;
  if (cls == null) return;
  if (spec.type === 'LoadBalancer') {
    for (const msg of isQualifiedName(cls)) out.push(fieldInvalid('spec.loadBalancerClass', cls, msg));
  } else {
    out.push(fieldForbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
}

function validateExternalTrafficPolicy(spec: Spec, out: FieldError[]): void {
  const policy: string = spec.externalTrafficPolicy ?? '';
  if (!externallyAccessible(spec)) {
    if (policy !== '') out.push(fieldInvalid('spec.externalTrafficPolicy', policy, 'may only be set for externally-accessible services'));
  } else if (policy === '') out.push(fieldRequired('spec.externalTrafficPolicy'));
  else if (!SUPPORTED_TRAFFIC_POLICIES.includes(policy)) {
    out.push(fieldNotSupported('spec.externalTrafficPolicy', policy, SUPPORTED_TRAFFIC_POLICIES));
  }
  const hc: number = spec.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(spec)) {
    if (hc !== 0) {
      out.push(
        fieldInvalid(
          'spec.healthCheckNodePort',
          hc,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
      );
    }
  } else if (hc !== 0) {
    for (const msg of isValidPortNum(hc)) out.push(fieldInvalid('spec.healthCheckNodePort', hc, msg));
  }
  // A missing healthCheckNodePort is allocated by kube before validation; kgate leaves it unset.
}

/** ValidateServiceClusterIPsRelatedFields. */
export function validateServiceClusterIPsRelatedFields(svc: KubeObject): FieldError[] {
  const spec: Spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const out: FieldError[] = [];
  const clusterIP: string = spec.clusterIP ?? '';
  const ips = clusterIPsOf(spec);
  if (clusterIP !== '') {
    if (ips[0] !== clusterIP) out.push(fieldInvalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) {
    out.push(fieldInvalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const families: string[] = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (!SUPPORTED_FAMILIES.includes(f)) out.push(fieldNotSupported(`spec.ipFamilies[${i}]`, f, SUPPORTED_FAMILIES));
    if (seen.has(f)) out.push({ type: 'FieldValueDuplicate', field: `spec.ipFamilies[${i}]`, value: f, detail: '' });
    seen.add(f);
  });
  if (spec.ipFamilyPolicy != null && !SUPPORTED_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    out.push(fieldNotSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, SUPPORTED_FAMILY_POLICIES));
  }
  let hasInvalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        hasInvalidIPs = true;
        out.push(fieldInvalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const errs = isValidIPForLegacyField(`spec.clusterIPs[${i}]`, ip);
    if (errs.length > 0) hasInvalidIPs = true;
    out.push(...errs);
  });
  if (ips.length > 2) out.push(fieldInvalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (hasInvalidIPs) return out;
  if (ips.length > 1) {
    // netutils.IsDualStackIPStrings: at least one address of each family.
    const v4 = ips.filter((ip) => isIPv4(parseIPSloppy(ip)!)).length;
    if (v4 === 0 || v4 === ips.length) out.push(fieldInvalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(ips) && ips.length > 0 && families.length > 0) {
    for (let i = 0; i < ips.length && i < families.length; i++) {
      const v6 = !isIPv4(parseIPSloppy(ips[i])!);
      if (families[i] === 'IPv4' && v6) {
        out.push(fieldInvalid(`spec.clusterIPs[${i}]`, ips[i], `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === 'IPv6' && !v6) {
        out.push(fieldInvalid(`spec.clusterIPs[${i}]`, ips[i], `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    }
  }
  return out;
}

/** ValidateServiceUpdate after ObjectMeta: clusterIPs and ipFamilies may only gain or lose a secondary, then ValidateService. */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = objectMetaUpdate(svc, old);
  const spec: Spec = svc.spec ?? {};
  const oldSpec: Spec = old.spec ?? {};
  if (spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName') {
    upgradeDowngradeClusterIPs(spec, oldSpec, out);
    upgradeDowngradeIPFamilies(spec, oldSpec, out);
  }
  if (
    oldSpec.type === 'LoadBalancer' &&
    spec.type === 'LoadBalancer' &&
    (oldSpec.loadBalancerClass ?? null) !== (spec.loadBalancerClass ?? null)
  ) {
    out.push(fieldInvalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  // validateLoadBalancerClassField(old, new) checks the class itself too, as validateService does again.
  validateLoadBalancerClass(spec, out);
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && (spec.healthCheckNodePort ?? 0) !== (oldSpec.healthCheckNodePort ?? 0)) {
    out.push(fieldForbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  // validateService checks no ObjectMeta (ValidateServiceCreate adds it on create only).
  return [...out, ...validateService(svc)];
}

function updateIPs(spec: Spec): string[] {
  // On update kube's normalizeClusterIPs has already synced clusterIPs with clusterIP.
  return clusterIPsOf(spec);
}

function upgradeDowngradeClusterIPs(spec: Spec, oldSpec: Spec, out: FieldError[]): void {
  const ips = updateIPs(spec);
  const oldIPs = updateIPs(oldSpec);
  if (isHeadless(ips) && isHeadless(oldIPs)) return;
  const path = 'spec.clusterIPs';
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) out.push(fieldInvalid(`${path}[${i}]`, ips, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) out.push(fieldInvalid(`${path}[0]`, ips, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) out.push(fieldInvalid(`${path}[0]`, ips, 'may not change once set'));
    if (ips.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      out.push(
        fieldInvalid(
          'spec.ipFamilyPolicy',
          spec.ipFamilyPolicy ?? null,
          "must be set to 'SingleStack' when releasing the secondary clusterIP",
        ),
      );
    }
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    out.push(fieldInvalid(`${path}[0]`, ips, 'may not change once set'));
  }
}

function upgradeDowngradeIPFamilies(spec: Spec, oldSpec: Spec, out: FieldError[]): void {
  const headless = isHeadless(updateIPs(spec));
  if (headless !== isHeadless(updateIPs(oldSpec)) || headless) return;
  const fams: string[] = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
  const oldFams: string[] = Array.isArray(oldSpec.ipFamilies) ? oldSpec.ipFamilies : [];
  const ips = updateIPs(spec);
  const path = 'spec.ipFamilies[0]';
  if (oldFams.length === fams.length) {
    oldFams.forEach((f, i) => {
      if (f !== fams[i]) out.push(fieldInvalid(path, fams, 'may not change once set'));
    });
  } else if (oldFams.length > fams.length) {
    if (ips.length === 0) out.push(fieldInvalid(path, fams, 'primary ipFamily can not be unset'));
    if (fams.length > 0 && fams[0] !== oldFams[0]) out.push(fieldInvalid(path, ips, 'may not change once set'));
    if (fams.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      out.push(
        fieldInvalid(
          'spec.ipFamilyPolicy',
          spec.ipFamilyPolicy ?? null,
          "must be set to 'SingleStack' when releasing the secondary ipFamily",
        ),
      );
    }
  } else if (oldFams.length > 0 && fams.length > 0 && fams[0] !== oldFams[0]) {
    out.push(fieldInvalid(path, ips, 'may not change once set'));
  }
}

/**
 * The Service REST's patchAllocatedValues on update: a client that leaves out what was allocated (clusterIP,
 * clusterIPs, healthCheckNodePort) keeps it, unless the type stops needing it.
 */
export function patchAllocatedValues(svc: KubeObject, old: KubeObject): void {
  const spec: Spec | undefined = svc.spec;
  const oldSpec: Spec = old.spec ?? {};
  if (!spec || typeof spec !== 'object') return;
  if (spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName') {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    const ips = spec.clusterIPs;
    if ((!Array.isArray(ips) || ips.length === 0) && Array.isArray(oldSpec.clusterIPs) && oldSpec.clusterIPs.length > 0) {
      spec.clusterIPs = [...oldSpec.clusterIPs];
    }
  }
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}

/**
 * The Service REST's normalizeClusterIPs: keeps clusterIP and clusterIPs in step before anything reads them
 * (a lone clusterIP becomes clusterIPs [clusterIP]; on update, a changed or cleared clusterIP with clusterIPs
 * left as they were moves clusterIPs with it).
 */
export function normalizeClusterIPs(svc: KubeObject, old?: KubeObject): void {
  const spec: Spec | undefined = svc.spec;
  if (!spec || typeof spec !== 'object') return;
  const clusterIP: string = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  const ips: unknown = spec.clusterIPs;
  if (clusterIP !== '' && (!Array.isArray(ips) || ips.length === 0)) {
    spec.clusterIPs = [clusterIP];
    return;
  }
  if (!old) return;
  const oldSpec: Spec = old.spec ?? {};
  const oldIPs: unknown = oldSpec.clusterIPs;
  const same = JSON.stringify(ips ?? []) === JSON.stringify(oldIPs ?? []);
  if (!same || !Array.isArray(ips)) return;
  if (clusterIP === '' && oldSpec.clusterIP) delete spec.clusterIPs;
  else if (clusterIP !== '' && clusterIP !== oldSpec.clusterIP && ips.length > 0) spec.clusterIPs = [clusterIP, ...ips.slice(1)];
}

/**
 * The Service strategy's dropTypeDependentFields: fields a type change leaves behind are cleared when the client
 * left them as they were (clusterIPs and families for ExternalName, NodePorts, the health-check port, the load
 * balancer's class and node-port switch, the external traffic policy).
 */
export function dropTypeDependentFields(svc: KubeObject, old: KubeObject): void {
  const spec: Spec | undefined = svc.spec;
  if (!spec || typeof spec !== 'object') return;
  const oldSpec: Spec = old.spec ?? {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (oldSpec.type !== 'ExternalName' && spec.type === 'ExternalName') {
    if ((spec.clusterIP ?? '') === (oldSpec.clusterIP ?? '') && same(spec.clusterIPs, oldSpec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (same(spec.ipFamilyPolicy, oldSpec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  const needsNodePort = (x: Spec) => x.type === 'NodePort' || x.type === 'LoadBalancer';
  const nodePorts = (x: Spec) =>
    [
      ...new Set(
        portsOf(x)
          .map((p) => p.nodePort)
          .filter((n) => typeof n === 'number' && n !== 0),
      ),
    ].sort();
  if (needsNodePort(oldSpec) && !needsNodePort(spec) && same(nodePorts(oldSpec), nodePorts(spec))) {
    for (const p of portsOf(spec)) delete p.nodePort;
  }
  if (needsHealthCheck(oldSpec) && !needsHealthCheck(spec) && (spec.healthCheckNodePort ?? 0) === (oldSpec.healthCheckNodePort ?? 0)) {
    delete spec.healthCheckNodePort;
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts != null && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (same(spec.loadBalancerClass, oldSpec.loadBalancerClass)) delete spec.loadBalancerClass;
  }
  if (
    externallyAccessible(oldSpec) &&
    !externallyAccessible(spec) &&
    (spec.externalTrafficPolicy ?? '') === (oldSpec.externalTrafficPolicy ?? '')
  ) {
    delete spec.externalTrafficPolicy;
  }
}

const LB_IP_MODES = ['Proxy', 'VIP'];

/**
 * ValidateServiceStatusUpdate: ObjectMeta update rules, then ValidateLoadBalancerStatus (ingress only on
 * LoadBalancer services; addresses the old status already held are not re-checked; ipMode only beside an ip).
 */
export function validateServiceStatusUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const out = objectMetaUpdate(svc, old);
  const ingress: Spec[] = Array.isArray(svc.status?.loadBalancer?.ingress) ? svc.status.loadBalancer.ingress : [];
  const p = 'status.loadBalancer.ingress';
  if (svc.spec?.type !== 'LoadBalancer' && ingress.length > 0) {
    out.push(fieldForbidden(p, "may only be used when `spec.type` is 'LoadBalancer'"));
    return out;
  }
  const oldIngress: Spec[] = Array.isArray(old.status?.loadBalancer?.ingress) ? old.status.loadBalancer.ingress : [];
  const existing = oldIngress.map((i) => String(i?.ip ?? '')).filter((ip) => ip !== '');
  ingress.forEach((ing, i) => {
    const ip = String(ing?.ip ?? '');
    if (ip !== '') out.push(...isValidIPForLegacyField(`${p}[${i}].ip`, ip, false, existing));
    if (ing?.ipMode != null && ip === '') out.push(fieldForbidden(`${p}[${i}].ipMode`, 'may not be specified when `ip` is not set'));
    else if (ing?.ipMode != null && !LB_IP_MODES.includes(ing.ipMode))
      out.push(fieldNotSupported(`${p}[${i}].ipMode`, ing.ipMode, LB_IP_MODES));
    const hostname = String(ing?.hostname ?? '');
    if (hostname !== '') {
      for (const msg of isDNS1123Subdomain(hostname)) out.push(fieldInvalid(`${p}[${i}].hostname`, hostname, msg));
      if (parseIPSloppy(hostname)) out.push(fieldInvalid(`${p}[${i}].hostname`, hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return out;
}
