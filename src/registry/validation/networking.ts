// networking.k8s.io validation (kube pkg/apis/networking/validation/validation.go: ValidateIngressClass,
// ValidateIngressClassUpdate, ValidateNetworkPolicy with its ports, peers and ipBlocks and its update rule,
// ValidateIngressCreate and ValidateIngressUpdate with their rules, paths, backends and TLS hosts,
// ValidateIngressStatusUpdate), after ObjectMeta.
import type { FieldError } from '../../apimachinery/errors.js';
import { isValidCIDRForLegacyField, isValidIPForLegacyField, parseCIDRSloppy, parseIPSloppy } from '../../apimachinery/ip.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isDNS1035Label,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  regexError,
  validateLabelSelector,
  validateNamespaceName,
} from '../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate } from './core/objectmeta.js';

type Json = Record<string, any>;

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH = new RegExp(`^${HTTP_PATH_FMT}$`);
const SCOPES = ['Cluster', 'Namespace'];
const NP_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

/** IsDomainPrefixedPath (apimachinery util/validation/field paths). */
function isDomainPrefixedPath(field: string, value: string): FieldError[] {
  if (value === '') return [fieldRequired(field)];
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1)
    return [fieldInvalid(field, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, slash);
  const path = value.slice(slash + 1);
  const out = isDNS1123Subdomain(host).map((msg) => fieldInvalid(field, host, msg));
  if (!HTTP_PATH.test(path)) out.push(fieldInvalid(field, path, regexError('Invalid path', HTTP_PATH_FMT)));
  return out;
}

export function validateIngressClass(ic: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec: Json = ic.spec ?? {};
  const controller: string = spec.controller ?? '';
  if (controller.length > 250) out.push(fieldTooLong('spec.controller', 250));
  out.push(...isDomainPrefixedPath('spec.controller', controller));
  const params: Json | undefined = spec.parameters ?? undefined;
  if (params) {
    const p = 'spec.parameters';
    if (params.apiGroup != null)
      for (const msg of isDNS1123Subdomain(params.apiGroup)) out.push(fieldInvalid(`${p}.apiGroup`, params.apiGroup, msg));
    for (const f of ['kind', 'name']) {
      const v: string = params[f] ?? '';
      if (v === '') out.push(fieldRequired(`${p}.${f}`));
      else for (const msg of isValidPathSegmentName(v)) out.push(fieldInvalid(`${p}.${f}`, v, msg));
    }
    if (params.scope == null) out.push(fieldRequired(`${p}.scope`));
    else if (!SCOPES.includes(params.scope)) out.push(fieldNotSupported(`${p}.scope`, params.scope, SCOPES));
    else if (params.scope === 'Namespace') {
      if (params.namespace == null) out.push(fieldRequired(`${p}.namespace`, "`parameters.scope` is set to 'Namespace'"));
      else
        for (const msg of validateNamespaceName(params.namespace, false)) out.push(fieldInvalid(`${p}.namespace`, params.namespace, msg));
    } else if (params.namespace != null) out.push(fieldForbidden(`${p}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return out;
}

/** ValidateIngressClassUpdate: ObjectMeta's update rules, the controller never changes, then ValidateIngressClass. */
export function validateIngressClassUpdate(ic: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = objectMetaUpdate(ic, old);
  if ((ic.spec?.controller ?? '') !== (old.spec?.controller ?? ''))
    out.push(fieldInvalid('spec.controller', ic.spec?.controller ?? '', 'field is immutable'));
  return [...out, ...objectMeta(ic, false), ...validateIngressClass(ic)];
}

function validateNPPort(port: Json, p: string, out: FieldError[]): void {
  if (port.protocol != null && !NP_PROTOCOLS.includes(port.protocol))
    out.push(fieldNotSupported(`${p}.protocol`, port.protocol, NP_PROTOCOLS));
  if (port.port != null) {
    if (typeof port.port === 'number') {
      for (const msg of isValidPortNum(port.port)) out.push(fieldInvalid(`${p}.port`, port.port, msg));
      if (port.endPort != null) {
        // kube shows the port, not the endPort, in this message.
        if (port.endPort < port.port) out.push(fieldInvalid(`${p}.endPort`, port.port, 'must be greater than or equal to `port`'));
        for (const msg of isValidPortNum(port.endPort)) out.push(fieldInvalid(`${p}.endPort`, port.endPort, msg));
      }
    } else {
      if (port.endPort != null) out.push(fieldInvalid(`${p}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
      for (const msg of isValidPortName(String(port.port))) out.push(fieldInvalid(`${p}.port`, port.port, msg));
    }
  } else if (port.endPort != null) {
    out.push(fieldInvalid(`${p}.endPort`, port.endPort, 'may not be specified when `port` is not specified'));
  }
}

function contains(net: ReturnType<typeof parseCIDRSloppy>, ip: Uint8Array): boolean {
  if (!net) return false;
  const bits = net.v4 ? net.bits + 96 : net.bits;
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((ip[i] & mask) !== (net.network[i] & mask)) return false;
  }
  return true;
}

function validateIPBlock(ipb: Json, p: string, out: FieldError[]): void {
  const cidr: string = ipb.cidr ?? '';
  if (cidr === '') {
    out.push(fieldRequired(`${p}.cidr`));
    return;
  }
  out.push(...isValidCIDRForLegacyField(`${p}.cidr`, cidr));
  const net = parseCIDRSloppy(cidr);
  if (!net) return;
  const except: string[] = Array.isArray(ipb.except) ? ipb.except : [];
  except.forEach((e, i) => {
    const ep = `${p}.except[${i}]`;
    out.push(...isValidCIDRForLegacyField(ep, e));
    const ex = parseCIDRSloppy(e);
    if (!ex) return;
    if (ex.v4 !== net.v4 || !contains(net, ex.network) || net.bits >= ex.bits)
      out.push(fieldInvalid(ep, e, 'must be a strict subset of `cidr`'));
  });
}

function validatePeer(peer: Json, p: string, out: FieldError[]): void {
  let peers = 0;
  if (peer.podSelector != null) {
    peers++;
    out.push(...validateLabelSelector(peer.podSelector, `${p}.podSelector`));
  }
  if (peer.namespaceSelector != null) {
    peers++;
    out.push(...validateLabelSelector(peer.namespaceSelector, `${p}.namespaceSelector`));
  }
  if (peer.ipBlock != null) {
    peers++;
    validateIPBlock(peer.ipBlock, `${p}.ipBlock`, out);
  }
  if (peers === 0) out.push(fieldRequired(p, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock != null) out.push(fieldForbidden(p, 'may not specify both ipBlock and another peer'));
}

export function validateNetworkPolicy(np: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec: Json = np.spec ?? {};
  out.push(...validateLabelSelector(spec.podSelector ?? {}, 'spec.podSelector'));
  for (const [dir, peersField] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ]) {
    const rules: Json[] = Array.isArray(spec[dir]) ? spec[dir] : [];
    rules.forEach((rule, i) => {
      const rp = `spec.${dir}[${i}]`;
      const ports: Json[] = Array.isArray(rule?.ports) ? rule.ports : [];
      ports.forEach((port, j) => validateNPPort(port ?? {}, `${rp}.ports[${j}]`, out));
      const peers: Json[] = Array.isArray(rule?.[peersField]) ? rule[peersField] : [];
      peers.forEach((peer, j) => validatePeer(peer ?? {}, `${rp}.${peersField}[${j}]`, out));
    });
  }
  const types: string[] = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  if (types.length > POLICY_TYPES.length) {
    out.push(fieldInvalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
    return out;
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) out.push(fieldNotSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  return out;
}

/**
 * The strategy's ValidateUpdate: ValidateNetworkPolicy (ObjectMeta and the spec), then ValidateNetworkPolicyUpdate
 * (ObjectMeta's update rules and the spec again).
 */
export function validateNetworkPolicyUpdate(np: KubeObject, old: KubeObject): FieldError[] {
  return [...objectMeta(np, true), ...validateNetworkPolicy(np), ...objectMetaUpdate(np, old), ...validateNetworkPolicy(np)];
}

/** ValidateIngressUpdate: ObjectMeta's update rules, then validateIngress (ObjectMeta and the spec). */
export function validateIngressUpdate(ing: KubeObject, old: KubeObject): FieldError[] {
  return [...objectMetaUpdate(ing, old), ...objectMeta(ing, true), ...validateIngress(ing)];
}

const WILDCARD_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD = new RegExp(`^${WILDCARD_FMT}$`);
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** IsWildcardDNS1123Subdomain (apimachinery util/validation). */
function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value) > 253) errs.push('must be no more than 253 characters');
  if (!WILDCARD.test(value)) {
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_FMT,
        '*.example.com',
      ),
    );
  }
  return errs;
}

function validateHost(host: string, field: string, out: FieldError[]): void {
  if (host.includes('*')) for (const msg of isWildcardDNS1123Subdomain(host)) out.push(fieldInvalid(field, host, msg));
  else for (const msg of isDNS1123Subdomain(host)) out.push(fieldInvalid(field, host, msg));
}

function validateIngressBackend(backend: Json, p: string, out: FieldError[]): void {
  const resource = backend.resource;
  const service = backend.service;
  if (resource != null && service != null) {
    out.push(fieldInvalid(p, '', 'cannot set both resource and service backends'));
    return;
  }
  if (resource != null) {
    const rp = `${p}.resource`;
    if (resource.apiGroup != null)
      for (const msg of isDNS1123Subdomain(resource.apiGroup)) out.push(fieldInvalid(`${rp}.apiGroup`, resource.apiGroup, msg));
    for (const f of ['kind', 'name']) {
      const v: string = resource[f] ?? '';
      if (v === '') out.push(fieldRequired(`${rp}.${f}`));
      else for (const msg of isValidPathSegmentName(v)) out.push(fieldInvalid(`${rp}.${f}`, v, msg));
    }
  } else if (service != null) {
    const name: string = service.name ?? '';
    if (name === '') out.push(fieldRequired(`${p}.service.name`));
    else for (const msg of isDNS1035Label(name)) out.push(fieldInvalid(`${p}.service.name`, name, msg));
    const portName: string = service.port?.name ?? '';
    const portNumber: number = service.port?.number ?? 0;
    if (portName !== '' && portNumber !== 0) out.push(fieldInvalid(p, '', 'cannot set both port name & port number'));
    else if (portName !== '') for (const msg of isValidPortName(portName)) out.push(fieldInvalid(`${p}.service.port.name`, portName, msg));
    else if (portNumber !== 0)
      for (const msg of isValidPortNum(portNumber)) out.push(fieldInvalid(`${p}.service.port.number`, portNumber, msg));
    else out.push(fieldRequired(p, 'port name or number is required'));
  } else {
    out.push(fieldInvalid(p, '', 'resource or service backend is required'));
  }
}

function validateIngressPath(path: Json, p: string, out: FieldError[]): void {
  if (path.pathType == null) {
    out.push(fieldRequired(`${p}.pathType`, 'pathType must be specified'));
    return;
  }
  const value: string = path.path ?? '';
  switch (path.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) out.push(fieldInvalid(`${p}.path`, value, 'must be an absolute path'));
      if (value.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES)
          if (value.includes(seq)) out.push(fieldInvalid(`${p}.path`, value, `must not contain '${seq}'`));
        for (const suf of INVALID_PATH_SUFFIXES)
          if (value.endsWith(suf)) out.push(fieldInvalid(`${p}.path`, value, `cannot end with '${suf}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (value.length > 0 && !value.startsWith('/')) out.push(fieldInvalid(`${p}.path`, value, 'must be an absolute path'));
      break;
    default:
      out.push(fieldNotSupported(`${p}.pathType`, path.pathType, PATH_TYPES));
  }
  validateIngressBackend(path.backend ?? {}, `${p}.backend`, out);
}

/** validateIngress: what ValidateIngressCreate and ValidateIngressUpdate both check. */
export function validateIngress(ing: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec: Json = ing.spec ?? {};
  const rules: Json[] = Array.isArray(spec.rules) ? spec.rules : [];
  if (rules.length === 0 && spec.defaultBackend == null) {
    out.push(fieldInvalid('spec', spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend != null) validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend', out);
  rules.forEach((rule, i) => {
    const p = `spec.rules[${i}]`;
    const host: string = rule?.host ?? '';
    if (host !== '') {
      if (parseIPSloppy(host)) out.push(fieldInvalid(`${p}.host`, host, 'must be a DNS name, not an IP address'));
      validateHost(host, `${p}.host`, out);
    }
    const http = rule?.http;
    if (http != null) {
      const paths: Json[] = Array.isArray(http.paths) ? http.paths : [];
      if (paths.length === 0) out.push(fieldRequired(`${p}.http.paths`));
      paths.forEach((path, j) => validateIngressPath(path ?? {}, `${p}.http.paths[${j}]`, out));
    }
  });
  const tls: Json[] = Array.isArray(spec.tls) ? spec.tls : [];
  tls.forEach((t, i) => {
    const hosts: string[] = Array.isArray(t?.hosts) ? t.hosts : [];
    hosts.forEach((h, j) => validateHost(h, `spec.tls[${i}].hosts[${j}]`, out));
    const secret: string = t?.secretName ?? '';
    if (secret !== '') for (const msg of isDNS1123Subdomain(secret)) out.push(fieldInvalid(`spec.tls[${i}].secretName`, secret, msg));
  });
  if (spec.ingressClassName != null) {
    for (const msg of isDNS1123Subdomain(spec.ingressClassName))
      out.push(fieldInvalid('spec.ingressClassName', spec.ingressClassName, msg));
  }
  return out;
}

/** ValidateIngressCreate: validateIngress, and the class annotation agrees with ingressClassName (not checked on update). */
export function validateIngressCreate(ing: KubeObject): FieldError[] {
  const out = validateIngress(ing);
  const spec: Json = ing.spec ?? {};
  const annotation = ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (annotation !== undefined && spec.ingressClassName != null && annotation !== spec.ingressClassName) {
    // kube's path: Child, not Key, and without `metadata.`.
    out.push(fieldInvalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified'));
  }
  return out;
}

/**
 * ValidateIngressStatusUpdate (ValidateIngressLoadBalancerStatus): each load-balancer ingress's IP (an IP the old
 * status already had passes as it is) and hostname, a DNS name and not an IP.
 */
export function validateIngressStatusUpdate(ing: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = objectMetaUpdate(ing, old);
  const oldIPs = list(old.status?.loadBalancer?.ingress)
    .map((i) => i?.ip ?? '')
    .filter((ip: string) => ip !== '');
  list(ing.status?.loadBalancer?.ingress).forEach((lb, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    const ip: string = lb?.ip ?? '';
    if (ip !== '') out.push(...isValidIPForLegacyField(`${p}.ip`, ip, false, oldIPs));
    const hostname: string = lb?.hostname ?? '';
    if (hostname !== '') {
      for (const msg of isDNS1123Subdomain(hostname)) out.push(fieldInvalid(`${p}.hostname`, hostname, msg));
      if (parseIPSloppy(hostname)) out.push(fieldInvalid(`${p}.hostname`, hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return out;
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? v : [];
}
