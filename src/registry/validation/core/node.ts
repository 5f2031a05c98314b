// Node validation (kube pkg/apis/core/validation/validation.go: ValidateNode, validateNodeTaints,
// ValidateNodeResources, ValidateNodeUpdate), after ObjectMeta. kube reports spec.taints under
// `metadata.taints`, and so does kgate.
import type { FieldError } from '../../../apimachinery/errors.js';
import { goJSONSyntaxError } from '../../../apimachinery/jsonsyntax.js';
import { isValidCIDRForLegacyField, parseCIDRSloppy } from '../../../apimachinery/ip.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isValidLabelValue,
  validateLabelName,
} from '../../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate } from './objectmeta.js';
import { validateResourceQuantityValue } from './resourcequota.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const PODCIDR_CHANGE = 'node updates may not change podCIDR except from "" to valid';

/* A taint as the client sent it. */
interface Taint {
  key?: string;
  value?: string;
  effect?: string;
  timeAdded?: string | null;
}

/** validateNodeTaints: key, value, effect, and unique (key, effect) pairs. */
export function validateNodeTaints(taints: Taint[], path: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = t.key ?? '';
    const value = t.value ?? '';
    const effect = t.effect ?? '';
    out.push(...validateLabelName(key, `${p}.key`));
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length > 0) out.push(fieldInvalid(`${p}.value`, value, valueErrs.join(';')));
    if (effect === '') out.push(fieldRequired(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) out.push(fieldNotSupported(`${p}.effect`, effect, TAINT_EFFECTS));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) {
      // The core.Taint as Go's JSON writes it (no json tags on the internal type).
      const v = { Key: key, Value: value, Effect: effect, TimeAdded: t.timeAdded ?? null };
      out.push({ type: 'FieldValueDuplicate', field: p, value: v, detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(id);
  });
  return out;
}

/** ValidateNodeResources: every capacity and allocatable quantity through ValidateResourceQuantityValue. */
function validateNodeResources(node: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  for (const part of ['capacity', 'allocatable']) {
    const list: Record<string, unknown> = node.status?.[part] ?? {};
    for (const [name, q] of Object.entries(list)) out.push(...validateResourceQuantityValue(name, q, `status.${part}.${name}`));
  }
  return out;
}

const AVOID_PODS_ANNOTATION = 'scheduler.alpha.kubernetes.io/preferAvoidPods';

/** ValidateNodeSpecificAnnotations: the preferAvoidPods annotation must parse, and each entry name a controller. */
function validateNodeSpecificAnnotations(node: KubeObject): FieldError[] {
  const text: unknown = node.metadata?.annotations?.[AVOID_PODS_ANNOTATION];
  if (typeof text !== 'string' || text === '') return [];
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    const err = goJSONSyntaxError(text) ?? 'unexpected end of JSON input';
    return [fieldInvalid('metadata.annotations.AvoidPods', AVOID_PODS_ANNOTATION, err)];
  }
  const out: FieldError[] = [];
  const entries: any[] = Array.isArray(parsed?.preferAvoidPods) ? parsed.preferAvoidPods : [];
  entries.forEach((entry, i) => {
    const p = `metadata.annotations.${AVOID_PODS_ANNOTATION}[${i}].PodSignature`;
    const controller = entry?.podSignature?.podController;
    if (controller == null) out.push(fieldRequired(p));
    else if (controller.controller !== true) out.push(fieldInvalid(`${p}.PodController.Controller`, false, 'must point to a controller'));
  });
  return out;
}

function validatePodCIDRs(cidrs: string[]): FieldError[] {
  const out: FieldError[] = [];
  const path = 'spec.podCIDRs';
  // kube v1.34 checks podCIDRs the legacy way (StrictIPCIDRValidation is off) and does not look for duplicates.
  cidrs.forEach((c, i) => out.push(...isValidCIDRForLegacyField(`${path}[${i}]`, c)));
  if (cidrs.length > 1) {
    // netutils.IsDualStackCIDRStrings, whose parse error kube reports as an internal error.
    let v4 = 0;
    let v6 = 0;
    let parseError = '';
    for (let i = 0; i < cidrs.length && parseError === ''; i++) {
      const parsed = parseCIDRSloppy(cidrs[i]);
      if (!parsed) parseError = `invalid CIDR[${i}]: <nil> (invalid CIDR address: ${cidrs[i]})`;
      else if (parsed.v4) v4++;
      else v6++;
    }
    if (parseError !== '') {
      out.push({
        type: 'InternalError',
        field: path,
        detail: `invalid PodCIDRs. failed to check with dual stack with error:${parseError}`,
      });
    }
    if (parseError !== '' || v4 === 0 || v6 === 0 || cidrs.length > 2) {
      out.push(fieldInvalid(path, cidrs, 'may specify no more than one CIDR for each IP family'));
    }
  }
  return out;
}

/** ValidateNode. */
export function validateNode(node: KubeObject): FieldError[] {
  const out: FieldError[] = validateNodeSpecificAnnotations(node);
  const taints: Taint[] = Array.isArray(node.spec?.taints) ? node.spec.taints : [];
  if (taints.length > 0) out.push(...validateNodeTaints(taints, 'metadata.taints'));
  out.push(...validateNodeResources(node));
  // validateNodeSwapStatus, at kube's path under metadata.
  const swapCapacity: unknown = node.status?.nodeInfo?.swap?.capacity;
  if (typeof swapCapacity === 'number' && swapCapacity <= 0) {
    out.push(fieldInvalid('metadata.nodeSwapStatus.capacity', swapCapacity, 'must be greater than zero'));
  }
  const cidrs: string[] = Array.isArray(node.spec?.podCIDRs) ? node.spec.podCIDRs : [];
  if (cidrs.length > 0) out.push(...validatePodCIDRs(cidrs));
  return out;
}

/** ValidateNodeUpdate: addresses are unique, podCIDRs and providerID are set once, taints as on create. */
export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = [...objectMetaUpdate(node, old), ...validateNodeSpecificAnnotations(node), ...validateNodeResources(node)];
  const addresses: Array<{ type?: string; address?: string }> = Array.isArray(node.status?.addresses) ? node.status.addresses : [];
  const seen = new Set<string>();
  addresses.forEach((a, i) => {
    const id = `${a.type ?? ''}\u0000${a.address ?? ''}`;
    if (seen.has(id)) {
      out.push({
        type: 'FieldValueDuplicate',
        field: `status.addresses[${i}]`,
        // The core.NodeAddress as Go's JSON writes it (no json tags on the internal type).
        value: { Type: a.type ?? '', Address: a.address ?? '' },
        detail: '',
      });
    }
    seen.add(id);
  });
  const oldCIDRs: string[] = Array.isArray(old.spec?.podCIDRs) ? old.spec.podCIDRs : [];
  const cidrs: string[] = Array.isArray(node.spec?.podCIDRs) ? node.spec.podCIDRs : [];
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== cidrs.length) out.push(fieldForbidden('spec.podCIDRs', PODCIDR_CHANGE));
    else oldCIDRs.forEach((c, i) => c !== cidrs[i] && out.push(fieldForbidden('spec.podCIDRs', PODCIDR_CHANGE)));
  }
  const oldProvider: string = old.spec?.providerID ?? '';
  if (oldProvider !== '' && oldProvider !== (node.spec?.providerID ?? '')) {
    out.push(fieldForbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  const taints: Taint[] = Array.isArray(node.spec?.taints) ? node.spec.taints : [];
  if (taints.length > 0) out.push(...validateNodeTaints(taints, 'metadata.taints'));
  if ((node.spec?.externalID ?? '') !== (old.spec?.externalID ?? '')) out.push(fieldForbidden('spec.externalID', 'may not be updated'));
  return out;
}

/**
 * v1 → internal conversion of the pod CIDRs (Convert_v1_NodeSpec_To_core_NodeSpec): podCIDR wins when it differs
 * from podCIDRs[0] and fills an empty podCIDRs; the v1 object then shows podCIDR as podCIDRs[0].
 */
export function normalizePodCIDRs(node: KubeObject): void {
  const spec = node.spec;
  if (spec == null || typeof spec !== 'object') return;
  const single: string = typeof spec.podCIDR === 'string' ? spec.podCIDR : '';
  const list: string[] = Array.isArray(spec.podCIDRs) ? spec.podCIDRs : [];
  if (single !== '' && (list.length === 0 || list[0] !== single)) spec.podCIDRs = [single];
  if (Array.isArray(spec.podCIDRs) && spec.podCIDRs.length > 0) spec.podCIDR = spec.podCIDRs[0];
}

/** The Node strategy's ValidateUpdate: ValidateNode of the new object, then ValidateNodeUpdate. */
export function validateNodeStrategyUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  return [...objectMeta(node, false), ...validateNode(node), ...validateNodeUpdate(node, old)];
}
