// Endpoints validation (kube pkg/apis/core/validation/validation.go: ValidateEndpoints, validateEndpointSubsets,
// validateEndpointAddress, validateEndpointPort), after ObjectMeta.
import type { FieldError } from '../../../apimachinery/errors.js';
import { isValidIPForLegacyField, validateNonSpecialIP } from '../../../apimachinery/ip.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import {
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortNum,
} from '../../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate } from './objectmeta.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

type Json = Record<string, any>;

function validateAddress(a: Json, p: string, out: FieldError[]): void {
  const ip = String(a.ip ?? '');
  out.push(...isValidIPForLegacyField(`${p}.ip`, ip));
  if (a.hostname) for (const msg of isDNS1123Label(a.hostname)) out.push(fieldInvalid(`${p}.hostname`, a.hostname, msg));
  if (a.nodeName != null) for (const msg of isDNS1123Subdomain(a.nodeName)) out.push(fieldInvalid(`${p}.nodeName`, a.nodeName, msg));
  // ValidateEndpointIP: the same ranges ValidateNonSpecialIP refuses.
  out.push(...validateNonSpecialIP(ip, `${p}.ip`));
}

function validatePort(port: Json, requireName: boolean, p: string, out: FieldError[]): void {
  const name: string = port.name ?? '';
  if (requireName && name === '') out.push(fieldRequired(`${p}.name`));
  else if (name !== '') for (const msg of isDNS1123Label(name)) out.push(fieldInvalid(`${p}.name`, name, msg));
  const num: number = port.port ?? 0;
  for (const msg of isValidPortNum(num)) out.push(fieldInvalid(`${p}.port`, num, msg));
  const protocol: string = port.protocol ?? '';
  if (protocol === '') out.push(fieldRequired(`${p}.protocol`));
  else if (!PROTOCOLS.includes(protocol)) out.push(fieldNotSupported(`${p}.protocol`, protocol, PROTOCOLS));
  if (port.appProtocol != null)
    for (const msg of isQualifiedName(port.appProtocol)) out.push(fieldInvalid(`${p}.appProtocol`, port.appProtocol, msg));
}

/** ValidateEndpoints (create and update validate the same). */
export function validateEndpoints(ep: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const subsets: Json[] = Array.isArray(ep.subsets) ? ep.subsets : [];
  subsets.forEach((ss, i) => {
    const p = `subsets[${i}]`;
    const addresses: Json[] = Array.isArray(ss.addresses) ? ss.addresses : [];
    const notReady: Json[] = Array.isArray(ss.notReadyAddresses) ? ss.notReadyAddresses : [];
    const ports: Json[] = Array.isArray(ss.ports) ? ss.ports : [];
    if (addresses.length === 0 && notReady.length === 0) out.push(fieldRequired(p, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => validateAddress(a ?? {}, `${p}.addresses[${j}]`, out));
    notReady.forEach((a, j) => validateAddress(a ?? {}, `${p}.notReadyAddresses[${j}]`, out));
    ports.forEach((port, j) => validatePort(port ?? {}, ports.length > 1, `${p}.ports[${j}]`, out));
  });
  return out;
}

/** ValidateEndpointsUpdate: ObjectMeta update rules, then ValidateEndpoints (ObjectMeta included). */
export function validateEndpointsUpdate(ep: KubeObject, old: KubeObject): FieldError[] {
  return [...objectMetaUpdate(ep, old), ...objectMeta(ep, true), ...validateEndpoints(ep)];
}
