// EndpointSlice validation (kube pkg/apis/discovery/validation/validation.go: ValidateEndpointSlice,
// ValidateEndpointSliceUpdate), after ObjectMeta. kube v1.34 reports ports before endpoints.
import type { FieldError } from '../../apimachinery/errors.js';
import { isIPv4, isValidIPForLegacyField, parseIPSloppy } from '../../apimachinery/ip.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import {
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  validateLabels,
} from '../../apimachinery/validation.js';

type Json = Record<string, any>;

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

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

export function validateEndpointSlice(es: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const addressType: string = es.addressType ?? '';
  if (addressType === '') out.push(fieldRequired('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) out.push(fieldNotSupported('addressType', addressType, ADDRESS_TYPES));

  const ports: Json[] = Array.isArray(es.ports) ? es.ports : [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `ports[${i}]`;
    const name: string = port?.name ?? '';
    if (name !== '') for (const msg of isDNS1123Label(name)) out.push(fieldInvalid(`${p}.name`, name, msg));
    if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${p}.name`, value: name, detail: '' });
    else names.add(name);
    if (port?.protocol == null) out.push(fieldRequired(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) out.push(fieldNotSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    if (port?.appProtocol != null)
      for (const msg of isQualifiedName(port.appProtocol)) out.push(fieldInvalid(`${p}.appProtocol`, port.appProtocol, msg));
  });

  const endpoints: Json[] = Array.isArray(es.endpoints) ? es.endpoints : [];
  endpoints.forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const addresses: string[] = Array.isArray(ep?.addresses) ? ep.addresses : [];
    if (addresses.length === 0) out.push(fieldRequired(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > 100)
      out.push({ type: 'FieldValueTooMany', field: `${p}.addresses`, value: addresses.length, detail: 'must have at most 100 items' });
    addresses.forEach((a, j) => {
      const ap = `${p}.addresses[${j}]`;
      if (addressType === 'IPv4' || addressType === 'IPv6') {
        const errs = isValidIPForLegacyField(ap, a);
        if (errs.length > 0) out.push(...errs);
        else if (isIPv4(parseIPSloppy(a)!) !== (addressType === 'IPv4')) {
          // kube names the list, not the item, here.
          out.push(fieldInvalid(`${p}.addresses`, a, `must be an ${addressType} address`));
        }
      } else if (addressType === 'FQDN') out.push(...isFQDN(ap, a));
    });
    if (ep?.nodeName != null) for (const msg of isDNS1123Subdomain(ep.nodeName)) out.push(fieldInvalid(`${p}.nodeName`, ep.nodeName, msg));
    if (ep?.deprecatedTopology != null) out.push(...validateLabels(ep.deprecatedTopology, `${p}.deprecatedTopology`));
    if (ep?.hostname != null) for (const msg of isDNS1123Label(ep.hostname)) out.push(fieldInvalid(`${p}.hostname`, ep.hostname, msg));
  });
  return out;
}

/** ValidateEndpointSliceUpdate: the address type never changes. */
export function validateEndpointSliceUpdate(es: KubeObject, old: KubeObject): FieldError[] {
  const out = validateEndpointSlice(es);
  if ((es.addressType ?? '') !== (old.addressType ?? '')) out.push(fieldInvalid('addressType', es.addressType ?? '', 'field is immutable'));
  return out;
}
