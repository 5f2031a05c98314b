// CertificateSigningRequest validation (kube pkg/apis/certificates/validation/validation.go:
// ValidateCertificateSigningRequestCreate, ...Update, ...StatusUpdate, ...ApprovalUpdate, and the signer-name rule
// core's pkg/apis/core/validation/names.go ValidateSignerName). The tolerances kube keeps for data already stored
// (duplicate usages, unknown usages, both Approved and Denied, ...) are derived from the stored object, as kube's
// getValidationOptions does, so an old object can still be updated.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import { certificatePEMError, checkSignature, parseCSR } from '../../apimachinery/pkcs10.js';
import {
  DNS1123_LABEL_MAX_LENGTH,
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isDNS1123Label,
  isDNS1123Subdomain,
  validateObjectMeta,
} from '../../apimachinery/validation.js';
import { kubeFinalizerErrors, objectMetaUpdate } from './core/objectmeta.js';

type Json = any;

/** certificates.LegacyUnknownSignerName: v1beta1's default, refused by v1. */
const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

/** allValidUsages, sorted as sets.String.List() prints them. */
export const KEY_USAGES: readonly string[] = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
];
const VALID_USAGES = new Set(KEY_USAGES);

/** Condition types whose status may only be True. */
const TRUE_ONLY_CONDITIONS = new Set(['Approved', 'Denied', 'Failed']);
const ALL_STATUS_VALUES = ['False', 'True', 'Unknown'];

interface Options {
  allowSettingApprovalConditions: boolean;
  allowSettingCertificate: boolean;
  allowBothApprovedAndDenied: boolean;
  allowLegacySignerName: boolean;
  allowDuplicateConditionTypes: boolean;
  allowEmptyConditionType: boolean;
  allowArbitraryCertificate: boolean;
  allowUnknownUsages: boolean;
  allowDuplicateUsages: boolean;
}

function conditionsOf(csr: KubeObject): Json[] {
  const c = csr.status?.conditions;
  return Array.isArray(c) ? c : [];
}

function usagesOf(csr: KubeObject): unknown[] {
  const u = csr.spec?.usages;
  return Array.isArray(u) ? u : [];
}

/** status.certificate as JSON carries it: base64 of the PEM ("" when absent). */
function certificateOf(csr: KubeObject): string {
  return typeof csr.status?.certificate === 'string' ? csr.status.certificate : '';
}

function decodeBytes(b64: unknown): string {
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('latin1') : '';
}

function hasDuplicates(values: unknown[]): boolean {
  return new Set(values).size !== values.length;
}

/** getValidationOptions: what the stored object already has is tolerated on update; a create tolerates nothing. */
function optionsFor(csr: KubeObject, old: KubeObject | undefined): Options {
  const oldTypes = old ? conditionsOf(old).map((c) => c?.type) : [];
  const oldCert = old ? certificateOf(old) : '';
  return {
    allowSettingApprovalConditions: false,
    allowSettingCertificate: false,
    allowBothApprovedAndDenied: oldTypes.includes('Approved') && oldTypes.includes('Denied'),
    allowLegacySignerName: old?.spec?.signerName === LEGACY_UNKNOWN_SIGNER,
    allowDuplicateConditionTypes: hasDuplicates(oldTypes),
    allowEmptyConditionType: oldTypes.some((t) => !t),
    allowArbitraryCertificate:
      old !== undefined && (certificateOf(csr) === oldCert || certificatePEMError(decodeBytes(oldCert)) !== undefined),
    allowUnknownUsages: old !== undefined && usagesOf(old).some((u) => !VALID_USAGES.has(u as string)),
    allowDuplicateUsages: old !== undefined && hasDuplicates(usagesOf(old)),
  };
}

/** ValidateSignerName (core names.go). */
export function validateSignerName(field: string, signerName: string): FieldError[] {
  if (signerName === '') return [fieldRequired(field)];
  const segments = signerName.split('/');
  if (segments.length !== 2) {
    return [fieldInvalid(field, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  }
  const [domain, path] = segments as [string, string];
  const out: FieldError[] = [];
  if (domain.length > DNS1123_SUBDOMAIN_MAX_LENGTH) out.push(fieldTooLong(field, DNS1123_SUBDOMAIN_MAX_LENGTH));
  const domainLabels = domain.split('.');
  for (const label of domainLabels) {
    const errs = isDNS1123Label(label);
    if (errs.length > 0) {
      for (const msg of errs) out.push(fieldInvalid(field, domain, `validating label ${JSON.stringify(label)}: ${msg}`));
      break;
    }
  }
  if (domainLabels.length < 2) out.push(fieldInvalid(field, domain, 'should be a domain with at least two segments separated by dots'));
  for (const label of path.split('.')) {
    const errs = isDNS1123Subdomain(label);
    if (errs.length > 0) {
      for (const msg of errs) out.push(fieldInvalid(field, path, `validating label ${JSON.stringify(label)}: ${msg}`));
      break;
    }
  }
  const maxSignerName = DNS1123_SUBDOMAIN_MAX_LENGTH + (DNS1123_SUBDOMAIN_MAX_LENGTH + DNS1123_LABEL_MAX_LENGTH + 1) + 1;
  if (signerName.length > maxSignerName) out.push(fieldTooLong(field, maxSignerName));
  return out;
}

/** validateCSR: the request is a PEM CERTIFICATE REQUEST whose signature its own key verifies. */
function requestError(request: unknown): string | undefined {
  try {
    checkSignature(parseCSR(decodeBytes(request)));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function validateConditions(csr: KubeObject, opts: Options): FieldError[] {
  const out: FieldError[] = [];
  const p = 'status.conditions';
  const seen = new Set<unknown>();
  let hasApproved = false;
  let hasDenied = false;
  conditionsOf(csr).forEach((c: Json, i) => {
    const type = c?.type ?? '';
    const status = c?.status ?? '';
    if (!opts.allowEmptyConditionType && type === '') out.push(fieldRequired(`${p}[${i}].type`));
    const allowed = TRUE_ONLY_CONDITIONS.has(type) ? ['True'] : ALL_STATUS_VALUES;
    if (status === '') out.push(fieldRequired(`${p}[${i}].status`));
    else if (!allowed.includes(status)) out.push(fieldNotSupported(`${p}[${i}].status`, status, allowed));
    if (!opts.allowBothApprovedAndDenied) {
      if (type === 'Approved') {
        hasApproved = true;
        if (hasDenied) out.push(fieldInvalid(p, type, 'Approved and Denied conditions are mutually exclusive'));
      } else if (type === 'Denied') {
        hasDenied = true;
        if (hasApproved) out.push(fieldInvalid(p, type, 'Approved and Denied conditions are mutually exclusive'));
      }
    }
    if (!opts.allowDuplicateConditionTypes) {
      if (seen.has(type)) out.push({ type: 'FieldValueDuplicate', field: `${p}[${i}].type`, value: type, detail: '' });
      seen.add(type);
    }
  });
  return out;
}

/** validateCertificateSigningRequest. */
function validateCSR(csr: KubeObject, opts: Options): FieldError[] {
  // ValidateObjectMeta with ValidateCertificateRequestName, which accepts any name: kube's generic create step
  // checks the name (as a path segment) only once this validation has passed.
  const out: FieldError[] = [
    ...validateObjectMeta(csr.metadata ?? {}, { namespaced: false, nameValidation: () => [] }),
    ...kubeFinalizerErrors(csr),
  ];
  const spec: Json = csr.spec ?? {};
  const err = requestError(spec.request);
  if (err !== undefined) out.push(fieldInvalid('spec.request', spec.request ?? '', err));
  const usages = usagesOf(csr);
  if (usages.length === 0) out.push(fieldRequired('spec.usages'));
  if (!opts.allowUnknownUsages) {
    usages.forEach((u, i) => {
      if (!VALID_USAGES.has(u as string)) out.push(fieldNotSupported(`spec.usages[${i}]`, u, KEY_USAGES));
    });
  }
  if (!opts.allowDuplicateUsages) {
    const seen = new Set<unknown>();
    usages.forEach((u, i) => {
      if (seen.has(u)) out.push({ type: 'FieldValueDuplicate', field: `spec.usages[${i}]`, value: u, detail: '' });
      seen.add(u);
    });
  }
  const signerName: string = typeof spec.signerName === 'string' ? spec.signerName : '';
  if (!opts.allowLegacySignerName && signerName === LEGACY_UNKNOWN_SIGNER) {
    out.push(fieldInvalid('spec.signerName', signerName, 'the legacy signerName is not allowed via this API version'));
  } else {
    out.push(...validateSignerName('spec.signerName', signerName));
  }
  if (spec.expirationSeconds != null && spec.expirationSeconds < 600) {
    out.push(
      fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'),
    );
  }
  out.push(...validateConditions(csr, opts));
  if (!opts.allowArbitraryCertificate) {
    const certErr = certificatePEMError(decodeBytes(certificateOf(csr)));
    if (certErr !== undefined) out.push(fieldInvalid('status.certificate', '<certificate data>', certErr));
  }
  return out;
}

export function validateCertificateSigningRequestCreate(csr: KubeObject): FieldError[] {
  return validateCSR(csr, optionsFor(csr, undefined));
}

/** validateCertificateSigningRequestUpdate with the subresource's allowances. */
function validateUpdate(csr: KubeObject, old: KubeObject, opts: Options): FieldError[] {
  const out = validateCSR(csr, opts);
  for (const t of ['Approved', 'Denied', 'Failed']) {
    const before = conditionsOf(old).filter((c) => c?.type === t);
    const after = conditionsOf(csr).filter((c) => c?.type === t);
    if (after.length < before.length) out.push(fieldForbidden('status.conditions', `updates may not remove a condition of type "${t}"`));
  }
  if (!opts.allowSettingApprovalConditions) {
    for (const t of ['Approved', 'Denied']) {
      const before = conditionsOf(old).filter((c) => c?.type === t);
      const after = conditionsOf(csr).filter((c) => c?.type === t);
      if (after.length > before.length) out.push(fieldForbidden('status.conditions', `updates may not add a condition of type "${t}"`));
      else if (after.length === before.length && !deepEqual(before, after)) {
        // kube appends a cmp diff of the two lists; the strategies copy these conditions from the stored object,
        // so no request reaches this.
        out.push(fieldForbidden('status.conditions', `updates may not modify a condition of type "${t}"`));
      }
    }
  }
  if (certificateOf(csr) !== certificateOf(old)) {
    if (!opts.allowSettingCertificate) out.push(fieldForbidden('status.certificate', 'updates may not set certificate content'));
    else if (certificateOf(old) !== '')
      out.push(fieldForbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return [...out, ...objectMetaUpdate(csr, old)];
}

export function validateCertificateSigningRequestUpdate(csr: KubeObject, old: KubeObject): FieldError[] {
  return validateUpdate(csr, old, optionsFor(csr, old));
}

export function validateCertificateSigningRequestStatusUpdate(csr: KubeObject, old: KubeObject): FieldError[] {
  return validateUpdate(csr, old, { ...optionsFor(csr, old), allowSettingCertificate: true });
}

export function validateCertificateSigningRequestApprovalUpdate(csr: KubeObject, old: KubeObject): FieldError[] {
  return validateUpdate(csr, old, { ...optionsFor(csr, old), allowSettingApprovalConditions: true });
}
