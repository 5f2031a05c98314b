// StorageClass validation (kube pkg/apis/storage/validation/validation.go: ValidateStorageClass with
// validateAllowedTopologies, ValidateStorageClassUpdate; core's ValidateTopologySelectorTerm), after ObjectMeta.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isQualifiedName,
  validateLabelName,
} from '../../apimachinery/validation.js';

import { objectMeta, objectMetaUpdate } from './core/objectmeta.js';

type Json = Record<string, any>;

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

export function validateStorageClass(sc: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const provisioner: string = sc.provisioner ?? '';
  if (provisioner === '') out.push(fieldRequired('provisioner'));
  else {
    // The provisioner is checked lower-cased, and shown so.
    const lower = provisioner.toLowerCase();
    for (const msg of isQualifiedName(lower)) out.push(fieldInvalid('provisioner', lower, msg));
  }
  const params: Record<string, unknown> = sc.parameters ?? {};
  const keys = Object.keys(params);
  // Too many parameters is the only parameters error then (kube returns early).
  if (keys.length > MAX_PARAMETERS) out.push(fieldTooLong('parameters', MAX_PARAMETERS));
  else {
    let size = 0;
    for (const k of keys) {
      if (k.length < 1) out.push(fieldInvalid('parameters', k, 'field can not be empty.'));
      size += Buffer.byteLength(k) + Buffer.byteLength(String(params[k] ?? ''));
    }
    if (size > MAX_PARAMETERS_SIZE) out.push(fieldTooLong('parameters', MAX_PARAMETERS_SIZE));
  }
  const policy: string = sc.reclaimPolicy ?? '';
  if (policy !== '' && !RECLAIM_POLICIES.includes(policy)) out.push(fieldNotSupported('reclaimPolicy', policy, RECLAIM_POLICIES));
  if (sc.volumeBindingMode == null) out.push(fieldRequired('volumeBindingMode'));
  else if (!BINDING_MODES.includes(sc.volumeBindingMode))
    out.push(fieldNotSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES));
  validateAllowedTopologies(Array.isArray(sc.allowedTopologies) ? sc.allowedTopologies : [], out);
  return out;
}

/** A topology term in raw form: key → set of values (ValidateTopologySelectorTerm's exprMap). */
type RawTerm = Map<string, Set<string>>;

/** core ValidateTopologySelectorTerm with validateTopologySelectorLabelRequirement. */
function validateTopologySelectorTerm(term: Json, p: string, out: FieldError[]): RawTerm {
  const raw: RawTerm = new Map();
  const exprs: Json[] = Array.isArray(term?.matchLabelExpressions) ? term.matchLabelExpressions : [];
  exprs.forEach((req, i) => {
    const ip = `${p}.matchLabelExpressions[${i}]`;
    const values: string[] = Array.isArray(req?.values) ? req.values : [];
    if (values.length === 0) out.push(fieldRequired(`${ip}.values`));
    const set = new Set<string>();
    values.forEach((v, j) => {
      if (set.has(v)) out.push({ type: 'FieldValueDuplicate', field: `${ip}.values[${j}]`, value: v, detail: '' });
      set.add(v);
    });
    const key: string = req?.key ?? '';
    out.push(...validateLabelName(key, `${ip}.key`));
    if (raw.has(key)) out.push({ type: 'FieldValueDuplicate', field: `${ip}.key`, value: key, detail: '' });
    raw.set(key, set);
  });
  return raw;
}

function sameRawTerm(a: RawTerm, b: RawTerm): boolean {
  if (a.size !== b.size) return false;
  for (const [k, va] of a) {
    const vb = b.get(k);
    if (!vb || vb.size !== va.size) return false;
    for (const v of va) if (!vb.has(v)) return false;
  }
  return true;
}

/**
 * validateAllowedTopologies: each term, and a term equal (as sets) to an earlier one is a Duplicate. kube's list
 * of earlier terms starts with len(topologies) nil maps, which Semantic.DeepEqual finds equal to an empty term:
 * an empty term is reported once per term in the list before counting the earlier ones.
 */
function validateAllowedTopologies(terms: Json[], out: FieldError[]): void {
  const earlier: RawTerm[] = terms.map(() => new Map());
  terms.forEach((term, i) => {
    const p = `allowedTopologies[${i}]`;
    const raw = validateTopologySelectorTerm(term ?? {}, p, out);
    for (const e of earlier) {
      if (sameRawTerm(raw, e)) out.push({ type: 'FieldValueDuplicate', field: `${p}.matchLabelExpressions`, value: '', detail: '' });
    }
    earlier.push(raw);
  });
}

/** ValidateStorageClass, then ValidateStorageClassUpdate: parameters, provisioner, reclaimPolicy and volumeBindingMode never change. */
export function validateStorageClassUpdate(sc: KubeObject, old: KubeObject): FieldError[] {
  // The strategy's ValidateUpdate checks the new class as a create does first (ObjectMeta included), then
  // ObjectMeta's update rules.
  const out: FieldError[] = [...objectMeta(sc, false), ...validateStorageClass(sc), ...objectMetaUpdate(sc, old)];
  if (!deepEqual(sc.parameters ?? null, old.parameters ?? null))
    out.push(fieldForbidden('parameters', 'updates to parameters are forbidden.'));
  if ((sc.provisioner ?? '') !== (old.provisioner ?? '')) out.push(fieldForbidden('provisioner', 'updates to provisioner are forbidden.'));
  if ((sc.reclaimPolicy ?? '') !== (old.reclaimPolicy ?? ''))
    out.push(fieldForbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if ((sc.volumeBindingMode ?? null) !== (old.volumeBindingMode ?? null)) {
    out.push(fieldInvalid('volumeBindingMode', sc.volumeBindingMode ?? null, 'field is immutable'));
  }
  return out;
}
