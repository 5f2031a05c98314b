// IPAddress and ServiceCIDR validation (kube pkg/apis/networking/validation/validation.go: ValidateIPAddressName,
// ValidateIPAddress, validateIPAddressParentReference, ValidateIPAddressUpdate, ValidateServiceCIDR,
// validateServiceCIDRSpec, ValidateServiceCIDRUpdate, ValidateServiceCIDRStatusUpdate). ObjectMeta is checked here,
// not by the store, because an IPAddress's name is an IP address in canonical form rather than a DNS subdomain.
import type { FieldError } from '../../apimachinery/errors.js';
import { isValidCIDR, isValidIP, parseCIDRSloppy } from '../../apimachinery/ip.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  fieldInvalid,
  fieldRequired,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  validateObjectMeta,
  type ValidateNameFunc,
} from '../../apimachinery/validation.js';
import { kubeFinalizerErrors, objectMetaUpdate } from './core/objectmeta.js';

/** ValidateIPAddressName: IsValidIP's details; generateName is not a prefix here (kube's noopNameGenerator). */
const ipAddressName: ValidateNameFunc = (name) => isValidIP('', name).map((e) => e.detail);

/** The internal networking.ParentReference as Go's JSON shows it in a message (no json tags: Go field names). */
function internalParentRef(ref: KubeObject | null | undefined): unknown {
  if (ref == null) return null;
  return { Group: ref.group ?? '', Resource: ref.resource ?? '', Namespace: ref.namespace ?? '', Name: ref.name ?? '' };
}

function validateParentRef(ref: KubeObject | null | undefined): FieldError[] {
  if (ref == null) return [fieldRequired('spec.parentRef')];
  const out: FieldError[] = [];
  const p = 'spec.parentRef';
  const group: string = ref.group ?? '';
  // The core group used by Services is empty, so group cannot be required.
  if (group !== '') for (const msg of isDNS1123Subdomain(group)) out.push(fieldInvalid(`${p}.group`, group, msg));
  for (const key of ['resource', 'name'] as const) {
    const v: string = ref[key] ?? '';
    if (v === '') out.push(fieldRequired(`${p}.${key}`));
    else for (const msg of isValidPathSegmentName(v)) out.push(fieldInvalid(`${p}.${key}`, v, msg));
  }
  const ns: string = ref.namespace ?? '';
  if (ns !== '') for (const msg of isValidPathSegmentName(ns)) out.push(fieldInvalid(`${p}.namespace`, ns, msg));
  return out;
}

/** ValidateIPAddress: ObjectMeta with the IP name rule (and kube's finalizer checks), then the parent reference. */
export function validateIPAddress(ip: KubeObject): FieldError[] {
  return [
    ...validateObjectMeta(ip.metadata ?? {}, { namespaced: false, nameValidation: ipAddressName }),
    ...kubeFinalizerErrors(ip),
    ...validateParentRef(ip.spec?.parentRef),
  ];
}

/** The strategy's ValidateUpdate: ValidateIPAddress, then metadata update rules and an immutable parentRef. */
export function validateIPAddressUpdate(ip: KubeObject, old: KubeObject): FieldError[] {
  const out = [...validateIPAddress(ip), ...objectMetaUpdate(ip, old)];
  const a = internalParentRef(ip.spec?.parentRef);
  const b = internalParentRef(old.spec?.parentRef);
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(fieldInvalid('spec.parentRef', a, FIELD_IMMUTABLE_ERROR_MSG));
  return out;
}

/** IPFamilyOfCIDRString: '4', '6' or '' for a CIDR that does not parse. */
function familyOf(cidr: string): string {
  const parsed = parseCIDRSloppy(cidr);
  if (!parsed) return '';
  return parsed.v4 ? '4' : '6';
}

/** validateServiceCIDRSpec: one or two canonical CIDRs, two only of different families. */
function validateServiceCIDRSpec(cidrs: string[]): FieldError[] {
  const p = 'spec.cidrs';
  if (cidrs.length === 0) return [fieldRequired(p, 'at least one CIDR required')];
  // The value is the internal *ServiceCIDRSpec, which Go's JSON writes with its field name.
  if (cidrs.length > 2) return [fieldInvalid(p, { CIDRs: cidrs }, 'may only hold up to 2 values')];
  const out: FieldError[] = [];
  cidrs.forEach((c, i) => out.push(...isValidCIDR(`${p}[${i}]`, c)));
  if (cidrs.length === 2 && familyOf(cidrs[0]!) === familyOf(cidrs[1]!) && familyOf(cidrs[0]!) !== '') {
    out.push(fieldInvalid(p, cidrs, 'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64'));
  }
  return out;
}

function cidrsOf(sc: KubeObject): string[] {
  return Array.isArray(sc.spec?.cidrs) ? (sc.spec.cidrs as string[]) : [];
}

/** ValidateServiceCIDR after its ObjectMeta, which the store checks (the name a DNS subdomain). */
export function validateServiceCIDR(sc: KubeObject): FieldError[] {
  return validateServiceCIDRSpec(cidrsOf(sc));
}

/**
 * ValidateServiceCIDRUpdate (the strategy does not re-run ValidateServiceCIDR): the CIDRs are immutable, except
 * that one CIDR may gain a second of the other family (kube issue 131261).
 */
export function validateServiceCIDRUpdate(sc: KubeObject, old: KubeObject): FieldError[] {
  const out = objectMetaUpdate(sc, old);
  const next = cidrsOf(sc);
  const prev = cidrsOf(old);
  if (prev.length === next.length) {
    prev.forEach((c, i) => {
      if (c !== next[i]) out.push(fieldInvalid(`spec.cidrs[${i}]`, next[i], FIELD_IMMUTABLE_ERROR_MSG));
    });
  } else if (prev.length === 1 && next.length === 2) {
    if (next[0] !== prev[0]) out.push(fieldInvalid('spec.cidrs[0]', next[0], FIELD_IMMUTABLE_ERROR_MSG));
    out.push(...validateServiceCIDRSpec(next));
  } else {
    out.push(fieldInvalid('spec.cidrs', next, FIELD_IMMUTABLE_ERROR_MSG));
  }
  return out;
}

/** ValidateServiceCIDRStatusUpdate: metadata only. */
export function validateServiceCIDRStatusUpdate(sc: KubeObject, old: KubeObject): FieldError[] {
  return objectMetaUpdate(sc, old);
}
