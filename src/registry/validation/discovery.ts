// EndpointSlice validation (kube pkg/apis/discovery/validation/validation.go: ValidateEndpointSlice with
// validateAddressType, validatePorts, validateEndpoints and validateHints; ValidateEndpointSliceUpdate), after
// ObjectMeta; and the strategy's dropTopologyOnV1 (pkg/registry/discovery/endpointslice/strategy.go), which runs
// before it.
import type { FieldError } from '../../apimachinery/errors.js';
import { isIPv4, isValidIP, isValidIPForLegacyField, parseIPSloppy, validateNonSpecialIP } from '../../apimachinery/ip.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import {
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateLabels,
} from '../../apimachinery/validation.js';
import { objectMeta } from './core/objectmeta.js';

type Json = Record<string, any>;

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;
const MAX_NODE_HINTS = 8;
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

function tooMany(field: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field, value: actual, detail: `must have at most ${max} items` };
}

function duplicate(field: string, value: string): FieldError {
  return { type: 'FieldValueDuplicate', field, value, detail: '' };
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? v : [];
}

/** IsFullyQualifiedDomainName (apimachinery util/validation). */
function isFQDN(field: string, value: string): FieldError[] {
  if (value === '') return [fieldRequired(field)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [fieldInvalid(field, name, errs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [fieldInvalid(field, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const le = isDNS1123Label(label);
    if (le.length > 0) return [fieldInvalid(field, label, le.join(','))];
  }
  return [];
}

function validatePorts(ports: Json[], out: FieldError[]): void {
  if (ports.length > MAX_PORTS) {
    out.push(tooMany('ports', ports.length, MAX_PORTS));
    return;
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `ports[${i}]`;
    const name: string = port?.name ?? '';
    if (name !== '') for (const msg of isDNS1123Label(name)) out.push(fieldInvalid(`${p}.name`, name, msg));
    if (names.has(name)) out.push(duplicate(`${p}.name`, name));
    else names.add(name);
    if (port?.protocol == null) out.push(fieldRequired(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) out.push(fieldNotSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    if (port?.appProtocol != null)
      for (const msg of isQualifiedName(port.appProtocol)) out.push(fieldInvalid(`${p}.appProtocol`, port.appProtocol, msg));
  });
}

/** One address of an endpoint: IPv4 takes legacy IPs, IPv6 only strict canonical ones; neither a special one. */
function validateAddress(addressType: string, a: string, ep: string, ap: string, out: FieldError[]): void {
  if (addressType === 'IPv4' || addressType === 'IPv6') {
    const v4 = addressType === 'IPv4';
    const errs = v4 ? isValidIPForLegacyField(ap, a) : isValidIP(ap, a);
    if (errs.length > 0) {
      out.push(...errs);
      return;
    }
    // kube names the list, not the item, here.
    if (isIPv4(parseIPSloppy(a)!) !== v4) out.push(fieldInvalid(`${ep}.addresses`, a, `must be an ${addressType} address`));
    out.push(...validateNonSpecialIP(a, ap));
  } else if (addressType === 'FQDN') out.push(...isFQDN(ap, a));
}

function validateHints(hints: Json, p: string, out: FieldError[]): void {
  const zones = list(hints.forZones);
  if (zones.length > MAX_ZONE_HINTS) {
    out.push(tooMany(`${p}.forZones`, zones.length, MAX_ZONE_HINTS));
    return;
  }
  const zoneNames = new Set<string>();
  zones.forEach((z, i) => {
    const zp = `${p}.forZones[${i}].name`;
    const name: string = z?.name ?? '';
    if (zoneNames.has(name)) out.push(duplicate(zp, name));
    else zoneNames.add(name);
    for (const msg of isValidLabelValue(name)) out.push(fieldInvalid(zp, name, msg));
  });
  const nodes = list(hints.forNodes);
  if (nodes.length > MAX_NODE_HINTS) {
    out.push(tooMany(`${p}.forNodes`, nodes.length, MAX_NODE_HINTS));
    return;
  }
  const nodeNames = new Set<string>();
  nodes.forEach((n, i) => {
    const np = `${p}.forNodes[${i}].name`;
    const name: string = n?.name ?? '';
    if (nodeNames.has(name)) out.push(duplicate(np, name));
    else nodeNames.add(name);
    for (const msg of isDNS1123Subdomain(name)) out.push(fieldInvalid(np, name, msg));
  });
}

function validateEndpoints(endpoints: Json[], addressType: string): FieldError[] {
  const out: FieldError[] = [];
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  endpoints.forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const addresses: string[] = Array.isArray(ep?.addresses) ? ep.addresses : [];
    if (addresses.length === 0) out.push(fieldRequired(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) out.push(tooMany(`${p}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => validateAddress(addressType, a, p, `${p}.addresses[${j}]`, out));
    if (ep?.nodeName != null) for (const msg of isDNS1123Subdomain(ep.nodeName)) out.push(fieldInvalid(`${p}.nodeName`, ep.nodeName, msg));
    // deprecatedTopology is dropped from v1 writes before this (dropTopologyOnV1), so it is only seen unchanged.
    const topology: Record<string, string> | undefined = ep?.deprecatedTopology ?? undefined;
    if (topology && Object.keys(topology).length > MAX_TOPOLOGY_LABELS) {
      out.push(tooMany(`${p}.deprecatedTopology`, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
    }
    out.push(...validateLabels(topology, `${p}.deprecatedTopology`));
    if (ep?.hostname != null) for (const msg of isDNS1123Label(ep.hostname)) out.push(fieldInvalid(`${p}.hostname`, ep.hostname, msg));
    if (ep?.hints != null) validateHints(ep.hints, `${p}.hints`, out);
  });
  return out;
}

/** ValidateEndpointSlice: an update whose endpoints did not change is not held to today's endpoint rules. */
export function validateEndpointSlice(es: KubeObject, old?: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const addressType: string = es.addressType ?? '';
  if (addressType === '') out.push(fieldRequired('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) out.push(fieldNotSupported('addressType', addressType, ADDRESS_TYPES));
  validatePorts(list(es.ports), out);
  const endpointErrs = validateEndpoints(list(es.endpoints), addressType);
  if (endpointErrs.length > 0 && !(old && deepEqual(old.endpoints ?? [], es.endpoints ?? []))) out.push(...endpointErrs);
  return out;
}

/** ValidateEndpointSliceUpdate: the address type never changes. */
export function validateEndpointSliceUpdate(es: KubeObject, old: KubeObject): FieldError[] {
  // ValidateEndpointSlice has ObjectMeta first.
  const out = [...objectMeta(es, true), ...validateEndpointSlice(es, old)];
  if ((es.addressType ?? '') !== (old.addressType ?? '')) out.push(fieldInvalid('addressType', es.addressType ?? '', 'field is immutable'));
  return out;
}

/**
 * dropTopologyOnV1: writes through discovery.k8s.io/v1 lose deprecatedTopology (unless an update leaves the
 * endpoints as they were); an endpoint without a nodeName keeps the hostname label's node as its nodeName when the
 * old slice already named that node there.
 */
export function dropTopologyOnV1(es: KubeObject, old: KubeObject | undefined, version: string): void {
  if (version !== 'v1') return;
  if (old && deepEqual(old.endpoints ?? [], es.endpoints ?? [])) return;
  const previous = new Set<string>();
  for (const ep of list(old?.endpoints)) {
    const node = ep?.deprecatedTopology?.[HOSTNAME_LABEL];
    if (typeof node === 'string') previous.add(node);
  }
  for (const ep of list(es.endpoints)) {
    if (ep == null) continue;
    const node = ep.deprecatedTopology?.[HOSTNAME_LABEL];
    if (ep.nodeName == null && typeof node === 'string' && previous.has(node) && isDNS1123Subdomain(node).length === 0) ep.nodeName = node;
    delete ep.deprecatedTopology;
  }
}
