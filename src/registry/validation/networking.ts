// networking.k8s.io validation (kube pkg/apis/networking/validation/validation.go: ValidateIngressClass,
// ValidateIngressClassUpdate, ValidateNetworkPolicy with its ports, peers and ipBlocks), after ObjectMeta.
import type { FieldError } from '../../apimachinery/errors.js';
import { isValidCIDRForLegacyField, parseCIDRSloppy } from '../../apimachinery/ip.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  regexError,
  validateLabelSelector,
  validateNamespaceName,
} from '../../apimachinery/validation.js';

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

/** ValidateIngressClassUpdate: the controller never changes. */
export function validateIngressClassUpdate(ic: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  if ((ic.spec?.controller ?? '') !== (old.spec?.controller ?? ''))
    out.push(fieldInvalid('spec.controller', ic.spec?.controller ?? '', 'field is immutable'));
  return [...out, ...validateIngressClass(ic)];
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
