// batch/v1 Job and CronJob validation as kube-apiserver v1.34 applies it (pkg/apis/batch/validation/validation.go:
// ValidateJob with validateGeneratedSelector, validateJobSpec with validatePodFailurePolicy and validateSuccessPolicy,
// ValidateJobSpecUpdate, ValidateJobUpdateStatus, ValidateCronJobCreate, validateCronJobSpec), with CronJob schedules
// parsed as github.com/robfig/cron/v3's ParseStandard does, error texts included (Go's time.ParseDuration for `@every`).
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  validateLabelSelector,
  validateNonnegativeField,
} from '../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate } from './core/objectmeta.js';
import { validatePodTemplateSpec } from './core/pod.js';
import { goInternalPodTemplateSpec } from './core/podspec-diff.js';
import { parseLabelSelector } from './selectors.js';

type Json = Record<string, any>;

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100000;
const COMPLETIONS_SOFT_LIMIT = 100000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10000;
const MAX_MANAGED_BY_LENGTH = 63;
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES = 255;
const MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS = 20;
const MAX_SUCCESS_POLICY_RULES = 20;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const POD_FAILURE_POLICY_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const ON_EXIT_CODES_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const INT64_MAX = 9223372036854775807n;

function nonNegative(value: unknown, path: string, out: FieldError[]): void {
  if (typeof value === 'number') out.push(...validateNonnegativeField(value, path));
}

/** validateJobSpec at `p` (`spec` for Jobs, `spec.jobTemplate.spec` for CronJobs). */
function validateJobSpecCommon(spec: Json, p: string, out: FieldError[]): void {
  nonNegative(spec.parallelism, `${p}.parallelism`, out);
  nonNegative(spec.completions, `${p}.completions`, out);
  nonNegative(spec.activeDeadlineSeconds, `${p}.activeDeadlineSeconds`, out);
  nonNegative(spec.backoffLimit, `${p}.backoffLimit`, out);
  nonNegative(spec.ttlSecondsAfterFinished, `${p}.ttlSecondsAfterFinished`, out);
  nonNegative(spec.backoffLimitPerIndex, `${p}.backoffLimitPerIndex`, out);
  if (spec.maxFailedIndexes != null) {
    nonNegative(spec.maxFailedIndexes, `${p}.maxFailedIndexes`, out);
    if (spec.backoffLimitPerIndex == null) out.push(fieldRequired(`${p}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (typeof spec.managedBy === 'string') {
    out.push(...isDomainPrefixedPath(`${p}.managedBy`, spec.managedBy));
    if (spec.managedBy.length > MAX_MANAGED_BY_LENGTH) out.push(fieldTooLong(`${p}.managedBy`, MAX_MANAGED_BY_LENGTH));
  }
  const mode = spec.completionMode;
  if (mode != null) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') out.push(fieldNotSupported(`${p}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (spec.completions == null) out.push(fieldRequired(`${p}.completions`, 'when completion mode is Indexed'));
      if (spec.parallelism != null && spec.parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        out.push(
          fieldInvalid(
            `${p}.parallelism`,
            spec.parallelism,
            `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`,
          ),
        );
      }
      if (spec.completions != null && spec.maxFailedIndexes != null && spec.maxFailedIndexes > spec.completions) {
        out.push(fieldInvalid(`${p}.maxFailedIndexes`, spec.maxFailedIndexes, 'must be less than or equal to completions'));
      }
      if (spec.maxFailedIndexes != null && spec.maxFailedIndexes > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
        out.push(
          fieldInvalid(
            `${p}.maxFailedIndexes`,
            spec.maxFailedIndexes,
            `must be less than or equal to ${MAX_FAILED_INDEXES_FOR_INDEXED_JOB}`,
          ),
        );
      }
      if (spec.completions != null && spec.completions > COMPLETIONS_SOFT_LIMIT && spec.backoffLimitPerIndex != null) {
        const high = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
        if (spec.maxFailedIndexes == null) {
          out.push(fieldRequired(`${p}.maxFailedIndexes`, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
        }
        if (spec.parallelism != null && spec.parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS) {
          out.push(
            fieldInvalid(
              `${p}.parallelism`,
              spec.parallelism,
              `must be less than or equal to ${PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} ${high}`,
            ),
          );
        }
        if (spec.maxFailedIndexes != null && spec.maxFailedIndexes > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS) {
          out.push(
            fieldInvalid(
              `${p}.maxFailedIndexes`,
              spec.maxFailedIndexes,
              `must be less than or equal to ${MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} ${high}`,
            ),
          );
        }
      }
    }
  }
  if (mode == null || mode === 'NonIndexed') {
    if (spec.backoffLimitPerIndex != null)
      out.push(fieldInvalid(`${p}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes != null)
      out.push(fieldInvalid(`${p}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy != null) validatePodFailurePolicy(spec, `${p}.podFailurePolicy`, out);
  if (spec.successPolicy != null) {
    if (mode !== 'Indexed') {
      out.push(fieldInvalid(`${p}.successPolicy`, internalSuccessPolicy(spec.successPolicy), 'requires indexed completion mode'));
    } else validateSuccessPolicy(spec, `${p}.successPolicy`, out);
  }
  const replacement = spec.podReplacementPolicy;
  if (replacement != null) {
    if (spec.podFailurePolicy != null) {
      if (replacement !== 'Failed') out.push(fieldNotSupported(`${p}.podReplacementPolicy`, replacement, ['Failed']));
    } else if (replacement !== 'Failed' && replacement !== 'TerminatingOrFailed') {
      out.push(fieldNotSupported(`${p}.podReplacementPolicy`, replacement, ['Failed', 'TerminatingOrFailed']));
    }
  }
  out.push(...validatePodTemplateSpec(spec.template, `${p}.template`));
  const rp = spec.template?.spec?.restartPolicy ?? '';
  const rpPath = `${p}.template.spec.restartPolicy`;
  if (rp === 'Always' || rp === '') out.push(fieldRequired(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') out.push(fieldNotSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy != null && rp !== 'Never')
    out.push(fieldInvalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
}

/** field.TooMany: `Too many: <n>: must have at most <max> items`. */
function tooMany(field: string, n: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field, value: n, detail: `must have at most ${max} items` };
}

/** validatePodFailurePolicy: the rules, each with its exit codes or pod conditions (container names from the template). */
function validatePodFailurePolicy(spec: Json, p: string, out: FieldError[]): void {
  const rules: any[] = Array.isArray(spec.podFailurePolicy.rules) ? spec.podFailurePolicy.rules : [];
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) out.push(tooMany(`${p}.rules`, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const podSpec: Json = spec.template?.spec ?? {};
  const containerNames = new Set<string>();
  for (const c of [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])]) containerNames.add(c?.name ?? '');
  rules.forEach((raw, i) => {
    const rule: Json = raw ?? {};
    const rp = `${p}.rules[${i}]`;
    const action = rule.action ?? '';
    if (action === '') out.push(fieldRequired(`${rp}.action`, `valid values: ${goQuotedList(POD_FAILURE_POLICY_ACTIONS)}`));
    else if (action === 'FailIndex') {
      if (spec.backoffLimitPerIndex == null) out.push(fieldInvalid(`${rp}.action`, action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!POD_FAILURE_POLICY_ACTIONS.includes(action)) {
      out.push(fieldNotSupported(`${rp}.action`, action, POD_FAILURE_POLICY_ACTIONS));
    }
    const conditions: any[] = Array.isArray(rule.onPodConditions) ? rule.onPodConditions : [];
    if (rule.onExitCodes != null) validateOnExitCodes(rule.onExitCodes, `${rp}.onExitCodes`, containerNames, out);
    if (conditions.length > 0) validateOnPodConditions(conditions, `${rp}.onPodConditions`, out);
    if (rule.onExitCodes != null && conditions.length > 0) {
      out.push(fieldInvalid(rp, undefined, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    }
    if (rule.onExitCodes == null && conditions.length === 0) {
      out.push(fieldInvalid(rp, undefined, 'specifying one of OnExitCodes and OnPodConditions is required'));
    }
  });
}

function validateOnExitCodes(req: Json, p: string, containerNames: Set<string>, out: FieldError[]): void {
  const operator = req.operator ?? '';
  if (operator === '') out.push(fieldRequired(`${p}.operator`, `valid values: ${goQuotedList(ON_EXIT_CODES_OPERATORS)}`));
  else if (!ON_EXIT_CODES_OPERATORS.includes(operator)) out.push(fieldNotSupported(`${p}.operator`, operator, ON_EXIT_CODES_OPERATORS));
  if (req.containerName != null && !containerNames.has(req.containerName)) {
    out.push(
      fieldInvalid(`${p}.containerName`, req.containerName, 'must be one of the container or initContainer names in the pod template'),
    );
  }
  const values: number[] = Array.isArray(req.values) ? req.values : [];
  if (values.length === 0) out.push(fieldInvalid(`${p}.values`, req.values ?? null, 'at least one value is required'));
  else if (values.length > MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES) {
    out.push(tooMany(`${p}.values`, values.length, MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES));
  }
  let ordered = true;
  const seen = new Set<number>();
  values.forEach((v, j) => {
    if (operator === 'In' && v === 0) out.push(fieldInvalid(`${p}.values[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) out.push({ type: 'FieldValueDuplicate', field: `${p}.values[${j}]`, value: v, detail: '' });
    else seen.add(v);
    if (j > 0 && values[j - 1] > v) ordered = false;
  });
  if (!ordered) out.push(fieldInvalid(`${p}.values`, values, 'must be ordered'));
}

function validateOnPodConditions(conditions: any[], p: string, out: FieldError[]): void {
  if (conditions.length > MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS) {
    out.push(tooMany(p, conditions.length, MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS));
  }
  conditions.forEach((raw, j) => {
    const pattern: Json = raw ?? {};
    const type = String(pattern.type ?? '');
    for (const msg of isQualifiedName(type)) out.push(fieldInvalid(`${p}[${j}].type`, type, msg));
    const status = pattern.status ?? '';
    if (status === '') out.push(fieldRequired(`${p}[${j}].status`, `valid values: ${goQuotedList(CONDITION_STATUSES)}`));
    else if (!CONDITION_STATUSES.includes(status)) out.push(fieldNotSupported(`${p}[${j}].status`, status, CONDITION_STATUSES));
  });
}

/** Go's %q of a []string: `["a" "b"]`. */
function goQuotedList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/** validateSuccessPolicy (Indexed Jobs only; completions is set, or the Indexed rule already failed). */
function validateSuccessPolicy(spec: Json, p: string, out: FieldError[]): void {
  const rules: any[] = Array.isArray(spec.successPolicy.rules) ? spec.successPolicy.rules : [];
  if (rules.length === 0) out.push(fieldRequired(`${p}.rules`, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) out.push(tooMany(`${p}.rules`, rules.length, MAX_SUCCESS_POLICY_RULES));
  const completions = typeof spec.completions === 'number' ? spec.completions : 0;
  rules.forEach((raw, i) => {
    const rule: Json = raw ?? {};
    const rp = `${p}.rules[${i}]`;
    if (rule.succeededCount == null && rule.succeededIndexes == null) {
      out.push(fieldRequired(rp, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let total = 0;
    if (rule.succeededIndexes != null) {
      const indexes = String(rule.succeededIndexes);
      if (Buffer.byteLength(indexes, 'utf8') > MAX_SUCCEEDED_INDEXES_LENGTH) {
        out.push(fieldTooLong(`${rp}.succeededIndexes`, MAX_SUCCEEDED_INDEXES_LENGTH));
      }
      const parsed = parseIndexes(indexes, completions);
      if (typeof parsed === 'string') {
        out.push(fieldInvalid(`${rp}.succeededIndexes`, indexes, `error parsing succeededIndexes: ${parsed}`));
      } else total = parsed;
    }
    if (rule.succeededCount != null) {
      const cp = `${rp}.succeededCount`;
      nonNegative(rule.succeededCount, cp, out);
      if (rule.succeededCount > completions) {
        out.push(
          fieldInvalid(cp, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`),
        );
      }
      if (rule.succeededIndexes != null && rule.succeededCount > total) {
        out.push(
          fieldInvalid(
            cp,
            rule.succeededCount,
            `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`,
          ),
        );
      }
    }
  });
}

/** validateIndexesFormat: ordered intervals `a` or `a-b` below `completions`; the number of indexes, or the error. */
export function parseIndexes(indexes: string, completions: number): number | string {
  if (indexes.length === 0) return 0;
  let last: number | undefined;
  let total = 0;
  for (const interval of indexes.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) {
      return `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    }
    const x = atoi(limits[0]);
    if (x === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[0])}`;
    if (x >= completions) return `too large index: ${JSON.stringify(limits[0])}`;
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total++;
    last = x;
    if (limits.length > 1) {
      const y = atoi(limits[1]);
      if (y === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[1])}`;
      if (y >= completions) return `too large index: ${JSON.stringify(limits[1])}`;
      if (last >= y) return `non-increasing order, previous: ${last}, current: ${y}`;
      total += y - x;
      last = y;
    }
  }
  return total;
}

/** strconv.Atoi: an optional sign and decimal digits within int64. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const big = BigInt(s);
  return big > INT64_MAX || big < -INT64_MAX - 1n ? undefined : Number(big);
}

/** batch.SuccessPolicy as Go renders the internal (untagged) struct inside a message. */
function internalSuccessPolicy(sp: Json): Record<string, unknown> {
  const rules: any[] | null = Array.isArray(sp.rules) ? sp.rules : null;
  return {
    Rules: rules && rules.map((r: Json) => ({ SucceededIndexes: r?.succeededIndexes ?? null, SucceededCount: r?.succeededCount ?? null })),
  };
}

/** batch.PodFailurePolicy as Go renders the internal (untagged) struct inside a message. */
function internalPodFailurePolicy(pfp: Json): Record<string, unknown> {
  const rules: any[] | null = Array.isArray(pfp.rules) ? pfp.rules : null;
  return {
    Rules:
      rules &&
      rules.map((r: Json) => ({
        Action: r?.action ?? '',
        OnExitCodes:
          r?.onExitCodes == null
            ? null
            : {
                ContainerName: r.onExitCodes.containerName ?? null,
                Operator: r.onExitCodes.operator ?? '',
                Values: r.onExitCodes.values ?? null,
              },
        OnPodConditions: Array.isArray(r?.onPodConditions)
          ? r.onPodConditions.map((c: Json) => ({ Type: c?.type ?? '', Status: c?.status ?? '' }))
          : null,
      })),
  };
}

/** apimachinery IsDomainPrefixedPath: `example.com/path`. */
function isDomainPrefixedPath(p: string, value: string): FieldError[] {
  const i = value.indexOf('/');
  if (i < 0) return [fieldInvalid(p, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const out: FieldError[] = [];
  const host = value.slice(0, i);
  const path = value.slice(i + 1);
  if (host.length === 0 || path.length === 0) {
    out.push(fieldInvalid(p, value, 'must be a domain-prefixed path (such as "acme.io/foo")'));
    return out;
  }
  for (const msg of isDNS1123Subdomain(host)) out.push(fieldInvalid(p, host, msg));
  return out;
}

// ---- Jobs --------------------------------------------------------------------------------------------------

/** ValidateJob (after ObjectMeta): validateGeneratedSelector, ValidateJobSpec, then the Indexed pod hostname. */
export function validateJob(obj: KubeObject): FieldError[] {
  const spec: Json = obj.spec ?? {};
  const out = [...validateGeneratedSelector(obj), ...validateJobSpec(spec)];
  if (spec.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0) {
    // The job controller names pods `<job>-<index>`, which must be a DNS label.
    const name: string = obj.metadata?.name ?? '';
    const maximumPodHostname = `${name}-${spec.completions - 1}`;
    if (isDNS1123Label(maximumPodHostname).length > 0) {
      out.push(fieldInvalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${maximumPodHostname}`));
    }
  }
  return out;
}

/**
 * validateGeneratedSelector (RequirePrefixedLabels, as for every Job kgate creates): without manualSelector the
 * template carries the generated labels with the Job's values and the selector selects them.
 */
function validateGeneratedSelector(obj: KubeObject): FieldError[] {
  const spec: Json = obj.spec ?? {};
  // A missing selector (an update that dropped it) is ValidateJobSpec's Required error alone.
  if (spec.manualSelector === true || spec.selector == null) return [];
  const out: FieldError[] = [];
  const uid: string = obj.metadata?.uid ?? '';
  const name: string = obj.metadata?.name ?? '';
  if (uid === '') out.push(fieldRequired('metadata.uid'));
  const labels: Record<string, string> | undefined = spec.template?.metadata?.labels;
  const expected: Record<string, string> = {
    'controller-uid': uid,
    'job-name': name,
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
  };
  // ValidateHasLabel: a missing label is Required, a different one Invalid (showing all the template's labels).
  for (const [key, value] of Object.entries(expected)) {
    const field = `spec.template.metadata.labels[${key}]`;
    if (labels?.[key] === undefined) out.push(fieldRequired(field, `must be '${value}'`));
    else if (labels[key] !== value) out.push(fieldInvalid(field, labels, `must be '${value}'`));
  }
  const selector = parseLabelSelector(spec.selector);
  if (selector && !selector.matches(expected)) out.push(fieldInvalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  return out;
}

/** ValidateJobSpec: validateJobSpec, then a selector that selects the template. */
function validateJobSpec(spec: Json): FieldError[] {
  const out: FieldError[] = [];
  validateJobSpecCommon(spec, 'spec', out);
  if (spec.selector == null) out.push(fieldRequired('spec.selector'));
  else out.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const selector = parseLabelSelector(spec.selector);
  if (selector && !selector.matches(spec.template?.metadata?.labels ?? {})) {
    out.push(
      fieldInvalid('spec.template.metadata.labels', spec.template?.metadata?.labels ?? null, '`selector` does not match template `labels`'),
    );
  }
  return out;
}

/**
 * ValidateJobSpecUpdate. The template is immutable; kube shows it as its internal Go struct in the message, where an
 * explicitly empty list of the request (`decoded`, the object before kgate's Go layout) is [] rather than null.
 */
export function validateJobUpdate(obj: KubeObject, old: KubeObject, decoded?: KubeObject): FieldError[] {
  const spec: Json = obj.spec ?? {};
  const oldSpec: Json = old.spec ?? {};
  // The strategy runs ValidateJob on the new object (ObjectMeta included), then ValidateJobUpdate (ObjectMeta update
  // rules, then ValidateJobSpecUpdate, which runs ValidateJobSpec again): spec errors are reported twice.
  const out = [...objectMeta(obj, true), ...validateJob(obj), ...objectMetaUpdate(obj, old), ...validateJobSpec(spec)];
  if (spec.completionMode !== 'Indexed') immutable(spec.completions, oldSpec.completions, 'spec.completions', out);
  else if (!deepEqual(spec.completions, oldSpec.completions) && spec.completions != null && spec.completions !== spec.parallelism) {
    out.push(fieldInvalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  }
  immutable(spec.selector, oldSpec.selector, 'spec.selector', out);
  validatePodTemplateUpdate(spec, oldSpec, old.status?.startTime == null && oldSpec.suspend === true, out, decoded?.spec?.template);
  immutable(spec.completionMode, oldSpec.completionMode, 'spec.completionMode', out);
  if (!deepEqual(spec.podFailurePolicy ?? null, oldSpec.podFailurePolicy ?? null)) {
    const shown = spec.podFailurePolicy == null ? null : internalPodFailurePolicy(spec.podFailurePolicy);
    out.push(fieldInvalid('spec.podFailurePolicy', shown, FIELD_IMMUTABLE_ERROR_MSG));
  }
  immutable(spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex, 'spec.backoffLimitPerIndex', out);
  immutable(spec.managedBy, oldSpec.managedBy, 'spec.managedBy', out);
  if (!deepEqual(spec.successPolicy ?? null, oldSpec.successPolicy ?? null)) {
    const shown = spec.successPolicy == null ? null : internalSuccessPolicy(spec.successPolicy);
    out.push(fieldInvalid('spec.successPolicy', shown, FIELD_IMMUTABLE_ERROR_MSG));
  }
  return out;
}

/** A suspended Job that never started may change its scheduling directives (AllowMutableSchedulingDirectives). */
function validatePodTemplateUpdate(spec: Json, oldSpec: Json, mutableScheduling: boolean, out: FieldError[], decoded?: Json): void {
  const template: Json = spec.template ?? {};
  let oldTemplate: Json = oldSpec.template ?? {};
  if (mutableScheduling) {
    const podSpec: Json = template.spec ?? {};
    const oldPodSpec: Json = { ...(oldTemplate.spec ?? {}) };
    if (podSpec.affinity == null && oldPodSpec.affinity != null) {
      const { nodeAffinity: _dropped, ...rest } = oldPodSpec.affinity;
      oldPodSpec.affinity = Object.keys(rest).length === 0 ? undefined : rest;
    } else if (podSpec.affinity != null && oldPodSpec.affinity == null) {
      oldPodSpec.affinity = { nodeAffinity: podSpec.affinity.nodeAffinity };
    } else if (podSpec.affinity != null && oldPodSpec.affinity != null) {
      oldPodSpec.affinity = { ...oldPodSpec.affinity, nodeAffinity: podSpec.affinity.nodeAffinity };
    }
    oldPodSpec.nodeSelector = podSpec.nodeSelector;
    oldPodSpec.tolerations = podSpec.tolerations;
    oldPodSpec.schedulingGates = podSpec.schedulingGates;
    const metadata = { ...(oldTemplate.metadata ?? {}), annotations: template.metadata?.annotations, labels: template.metadata?.labels };
    oldTemplate = { ...oldTemplate, metadata, spec: oldPodSpec };
  }
  if (!deepEqual(template, oldTemplate)) {
    out.push(fieldInvalid('spec.template', goInternalPodTemplateSpec(template, decoded), FIELD_IMMUTABLE_ERROR_MSG));
  }
}

function immutable(next: unknown, prev: unknown, path: string, out: FieldError[]): void {
  if (!deepEqual(next ?? null, prev ?? null)) out.push(fieldInvalid(path, next ?? null, FIELD_IMMUTABLE_ERROR_MSG));
}

// ---- CronJobs ----------------------------------------------------------------------------------------------

/** ValidateCronJobCreate (after ObjectMeta). */
export function validateCronJob(obj: KubeObject): FieldError[] {
  const out = validateCronJobSpec(obj.spec ?? {}, undefined);
  const name: string = obj.metadata?.name ?? '';
  // The controller appends an 11-character suffix to name its Jobs, which are DNS-1035 labels at most.
  if (name.length > 52) out.push(fieldInvalid('metadata.name', name, 'must be no more than 52 characters'));
  return out;
}

/** ValidateCronJobUpdate: its ObjectMeta update check, then the spec (the 52-character name limit is create-only). */
export function validateCronJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return [...objectMetaUpdate(obj, old), ...validateCronJobSpec(obj.spec ?? {}, old.spec ?? {})];
}

function validateCronJobSpec(spec: Json, oldSpec: Json | undefined): FieldError[] {
  const out: FieldError[] = [];
  const schedule: string = typeof spec.schedule === 'string' ? spec.schedule : '';
  if (schedule.length === 0) out.push(fieldRequired('spec.schedule'));
  else {
    const allowTZ = typeof oldSpec?.schedule === 'string' && oldSpec.schedule.includes('TZ');
    const err = parseStandardCron(schedule);
    if (err) out.push(fieldInvalid('spec.schedule', schedule, err));
    if (allowTZ && schedule.includes('TZ') && spec.timeZone != null) {
      out.push(fieldInvalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    } else if (!allowTZ && schedule.includes('TZ')) {
      out.push(fieldInvalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds', out);
  if (oldSpec === undefined || (spec.timeZone ?? null) !== (oldSpec.timeZone ?? null)) validateTimeZone(spec.timeZone, out);
  const cp = spec.concurrencyPolicy ?? '';
  if (cp === '') out.push(fieldRequired('spec.concurrencyPolicy'));
  else if (cp !== 'Allow' && cp !== 'Forbid' && cp !== 'Replace')
    out.push(fieldNotSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  // ValidateJobTemplateSpec
  const jobSpec: Json = spec.jobTemplate?.spec ?? {};
  validateJobSpecCommon(jobSpec, 'spec.jobTemplate.spec', out);
  if (jobSpec.selector != null)
    out.push(fieldInvalid('spec.jobTemplate.spec.selector', jobSpec.selector, '`selector` will be auto-generated'));
  if (jobSpec.manualSelector === true) out.push(fieldNotSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit', out);
  nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit', out);
  return out;
}

const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateTimeZone(tz: unknown, out: FieldError[]): void {
  if (tz == null) return;
  const zone = String(tz);
  if (zone.length === 0) {
    out.push(fieldInvalid('spec.timeZone', zone, 'timeZone must be nil or non-empty string'));
    return;
  }
  for (const part of zone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) {
      out.push(fieldInvalid('spec.timeZone', zone, `unknown time zone ${zone}`));
      return;
    }
  }
  if (zone.toLowerCase() === 'local') {
    out.push(fieldInvalid('spec.timeZone', zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  }
  if (!isKnownTimeZone(zone)) out.push(fieldInvalid('spec.timeZone', zone, `unknown time zone ${zone}`));
}

const knownZones = new Map<string, boolean>();

/** time.LoadLocation succeeds: the IANA database Node carries stands in for Go's. */
function isKnownTimeZone(zone: string): boolean {
  // time.LoadLocation knows "", "UTC" and "Local" itself (only so spelled); every other name comes from tzdata.
  if (zone === 'UTC' || zone === '' || zone === 'Local') return true;
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(zone, known);
  }
  return known;
}

// ---- robfig/cron/v3 ParseStandard --------------------------------------------------------------------------

interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const CRON_FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } },
  { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } },
];
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** The error ParseStandard returns for a schedule, or '' when it parses. */
export function parseStandardCron(input: string): string {
  let spec = input;
  if (spec.length === 0) return 'empty spec string';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    const zone = i < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, i);
    if (!isKnownTimeZone(zone)) return `provided bad location ${zone}: unknown time zone ${zone}`;
    spec = i < 0 ? '' : spec.slice(i).trim();
  }
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.has(spec)) return '';
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length);
      const err = goDurationError(d);
      return err ? `failed to parse duration ${spec}: ${err}` : '';
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    for (const expr of fields[i].split(',').filter((e) => e.length > 0)) {
      const err = cronRange(expr, CRON_FIELDS[i]);
      if (err) return err;
    }
  }
  return '';
}

function cronRange(expr: string, r: Bounds): string {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
  } else {
    const s = parseIntOrName(lowAndHigh[0], r.names);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1], r.names);
      if (typeof e === 'string') return e;
      end = e;
    } else return `too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const st = mustParseInt(rangeAndStep[1]);
    if (typeof st === 'string') return st;
    step = st;
    if (lowAndHigh.length === 1) end = r.max;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < r.min) return `beginning of range (${start}) below minimum (${r.min}): ${expr}`;
  if (end > r.max) return `end of range (${end}) above maximum (${r.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return '';
}

function parseIntOrName(expr: string, names: Readonly<Record<string, number>> | undefined): number | string {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(expr);
}

/** strconv.Atoi, then non-negative; errors as robfig/cron words them. */
function mustParseInt(expr: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(expr)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
  const big = BigInt(expr);
  if (big > INT64_MAX || big < -INT64_MAX - 1n) {
    return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`;
  }
  if (big < 0n) return `negative number (${big}) not allowed: ${expr}`;
  // Beyond 2^53 the value is only compared with small bounds, where the rounding cannot matter.
  return Number(big);
}

const DURATION_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);

/**
 * The error Go's time.ParseDuration returns for `input`, or '' when it parses: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`,
 * with its three messages (invalid duration, missing unit, unknown unit). Overflow is not modelled.
 */
function goDurationError(input: string): string {
  const quoted = JSON.stringify(input);
  let s = input;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return '';
  if (s === '') return `time: invalid duration ${quoted}`;
  while (s !== '') {
    if (!/^[0-9.]/.test(s)) return `time: invalid duration ${quoted}`;
    const number = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    if (number[1] === '' && (number[3] ?? '') === '') return `time: invalid duration ${quoted}`;
    s = s.slice(number[0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') return `time: missing unit in duration ${quoted}`;
    if (!DURATION_UNITS.has(unit)) return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    s = s.slice(unit.length);
  }
  return '';
}

// ---- Job /status -------------------------------------------------------------------------------------------

function conditionTrue(job: KubeObject, type: string): boolean {
  const conditions: any[] = Array.isArray(job.status?.conditions) ? job.status.conditions : [];
  return conditions.some((c) => c?.type === type && c?.status === 'True');
}

const isComplete = (job: KubeObject): boolean => conditionTrue(job, 'Complete');
const isFailed = (job: KubeObject): boolean => conditionTrue(job, 'Failed');
const isFinished = (job: KubeObject): boolean => isComplete(job) || isFailed(job);

function timeMs(v: unknown): number | undefined {
  return typeof v === 'string' ? Date.parse(v) : undefined;
}

/** validateFailedIndexesNotOverlapCompleted: walks both interval lists in order; unparsable intervals are skipped. */
function indexesOverlap(completed: string, failed: string, completions: number): string {
  if (completed.length === 0 || failed.length === 0) return '';
  const interval = (s: string): [number, number] | undefined => {
    const parsed = parseIndexes(s, completions);
    if (typeof parsed === 'string') return undefined;
    const [x, y] = s.split('-').map(Number);
    return [x, y ?? x];
  };
  const cs = completed.split(',').map(interval);
  const fs = failed.split(',').map(interval);
  let ci = 0;
  let fi = 0;
  while (ci < cs.length && fi < fs.length) {
    const c = cs[ci];
    const f = fs[fi];
    if (!c) ci++;
    else if (!f) fi++;
    else if (c[0] <= f[1] && f[0] <= c[1]) return `failedIndexes and completedIndexes overlap at index: ${Math.max(c[0], f[0])}`;
    else if (c[0] <= f[0]) ci++;
    else fi++;
  }
  return '';
}

/**
 * ValidateJobUpdateStatus (its ObjectMeta update check, then the status) with the options the Job status strategy derives when JobManagedBy is
 * on (v1.34 default): most transition rules apply only when the status fields they read changed.
 */
export function validateJobStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const status: Json = obj.status ?? {};
  const oldStatus: Json = old.status ?? {};
  const spec: Json = obj.spec ?? {};
  const out: FieldError[] = objectMetaUpdate(obj, old);
  const n = (k: string, s: Json = status): number => (typeof s[k] === 'number' ? s[k] : 0);
  const changed = (k: string): boolean => !deepEqual(status[k] ?? null, oldStatus[k] ?? null);
  const indexed = spec.completionMode === 'Indexed';
  const finishedChanged = isFinished(old) !== isFinished(obj);
  const completeChanged = isComplete(old) !== isComplete(obj);
  const failedChanged = isFailed(old) !== isFailed(obj);
  const failureTargetChanged = conditionTrue(old, 'FailureTarget') !== conditionTrue(obj, 'FailureTarget');
  const successMetChanged = conditionTrue(old, 'SuccessCriteriaMet') !== conditionTrue(obj, 'SuccessCriteriaMet');
  const suspendedWithZeroCompletions = spec.suspend === true && spec.completions === 0;

  // validateJobStatus
  for (const k of ['active', 'succeeded', 'failed']) out.push(...validateNonnegativeField(n(k), `status.${k}`));
  if (status.ready != null) nonNegative(status.ready, 'status.ready', out);
  if (status.terminating != null) nonNegative(status.terminating, 'status.terminating', out);
  if (status.uncountedTerminatedPods != null) {
    const seen = new Set<string>();
    for (const k of ['succeeded', 'failed']) {
      const uids: any[] = Array.isArray(status.uncountedTerminatedPods[k]) ? status.uncountedTerminatedPods[k] : [];
      uids.forEach((uid, i) => {
        const p = `status.uncountedTerminatedPods.${k}[${i}]`;
        if (uid === '' || uid == null) out.push(fieldInvalid(p, '', 'must not be empty'));
        else if (seen.has(uid)) out.push({ type: 'FieldValueDuplicate', field: p, value: uid, detail: '' });
        else seen.add(uid);
      });
    }
  }
  const complete = isComplete(obj);
  const finished = isFinished(obj);
  const completionTimeChanged = changed('completionTime');
  const startTimeChanged = changed('startTime');
  if ((completeChanged || failedChanged) && complete && isFailed(obj)) {
    out.push(fieldInvalid('status.conditions', undefined, 'cannot set Complete=True and Failed=true conditions'));
  }
  if ((completeChanged || failureTargetChanged) && complete && conditionTrue(obj, 'FailureTarget')) {
    out.push(fieldInvalid('status.conditions', undefined, 'cannot set Complete=True and FailureTarget=true conditions'));
  }
  if ((completeChanged || completionTimeChanged) && status.completionTime != null && !complete) {
    out.push(
      fieldInvalid('status.completionTime', status.completionTime, 'cannot set completionTime when there is no Complete=True condition'),
    );
  }
  if ((completeChanged || completionTimeChanged) && status.completionTime == null && complete) {
    out.push(fieldRequired('status.completionTime', 'completionTime is required for Complete jobs'));
  }
  if ((startTimeChanged || completionTimeChanged) && status.startTime != null && status.completionTime != null) {
    const start = timeMs(status.startTime);
    const end = timeMs(status.completionTime);
    if (start !== undefined && end !== undefined && end < start) {
      out.push(fieldInvalid('status.completionTime', status.completionTime, 'must be equal to or after `startTime`'));
    }
  }
  if ((failedChanged || failureTargetChanged) && isFailed(obj) && !conditionTrue(obj, 'FailureTarget')) {
    out.push(fieldInvalid('status.conditions', undefined, 'cannot set Failed=True condition without the FailureTarget=true condition'));
  }
  if ((completeChanged || successMetChanged) && complete && !conditionTrue(obj, 'SuccessCriteriaMet')) {
    out.push(
      fieldInvalid('status.conditions', undefined, 'cannot set Complete=True condition without the SuccessCriteriaMet=true condition'),
    );
  }
  if ((finishedChanged || changed('active')) && n('active') > 0 && finished) {
    out.push(fieldInvalid('status.active', n('active'), 'active>0 is invalid for finished job'));
  }
  if ((finishedChanged || startTimeChanged) && !suspendedWithZeroCompletions && status.startTime == null && finished) {
    out.push(fieldRequired('status.startTime', 'startTime is required for finished job'));
  }
  const uncounted: Json | undefined = status.uncountedTerminatedPods ?? undefined;
  const uncountedCount = (uncounted?.failed?.length ?? 0) + (uncounted?.succeeded?.length ?? 0);
  if ((finishedChanged || changed('uncountedTerminatedPods')) && finished && uncounted != null && uncountedCount > 0) {
    const shown = { Succeeded: uncounted.succeeded ?? null, Failed: uncounted.failed ?? null };
    out.push(fieldInvalid('status.uncountedTerminatedPods', shown, 'must be empty for finished job'));
  }
  const completed: string = status.completedIndexes ?? '';
  const completedChanged = completed !== (oldStatus.completedIndexes ?? '');
  const failedIndexesChanged = changed('failedIndexes');
  if (completedChanged && typeof spec.completions === 'number') {
    const err = parseIndexes(completed, spec.completions);
    if (typeof err === 'string') out.push(fieldInvalid('status.completedIndexes', completed, `error parsing completedIndexes: ${err}`));
  }
  if (failedIndexesChanged && typeof spec.completions === 'number' && spec.backoffLimitPerIndex != null && status.failedIndexes != null) {
    const err = parseIndexes(status.failedIndexes, spec.completions);
    if (typeof err === 'string') {
      out.push(fieldInvalid('status.failedIndexes', status.failedIndexes, `error parsing failedIndexes: ${err}`));
    }
  }
  if (completedChanged && completed.length > 0 && !indexed) {
    out.push(fieldInvalid('status.completedIndexes', completed, 'cannot set non-empty completedIndexes when non-indexed completion mode'));
  }
  if (failedIndexesChanged && spec.backoffLimitPerIndex == null && status.failedIndexes != null) {
    out.push(
      fieldInvalid('status.failedIndexes', status.failedIndexes, 'cannot set non-null failedIndexes when backoffLimitPerIndex is null'),
    );
  }
  if ((failedIndexesChanged || completedChanged) && typeof spec.completions === 'number' && status.failedIndexes != null) {
    const err = indexesOverlap(completed, status.failedIndexes, spec.completions);
    if (err) out.push(fieldInvalid('status.failedIndexes', status.failedIndexes, err));
  }
  if ((finishedChanged || changed('terminating')) && n('terminating') > 0 && finished) {
    out.push(fieldInvalid('status.terminating', status.terminating, 'terminating>0 is invalid for finished job'));
  }
  if ((changed('ready') || changed('active')) && status.ready != null && status.ready > n('active')) {
    out.push(fieldInvalid('status.ready', status.ready, 'cannot set more ready pods than active'));
  }
  if (conditionTrue(obj, 'SuccessCriteriaMet') && isFailed(obj)) {
    out.push(fieldInvalid('status.conditions', undefined, 'cannot set SuccessCriteriaMet=True and Failed=true conditions'));
  }
  if (conditionTrue(obj, 'SuccessCriteriaMet') && conditionTrue(obj, 'FailureTarget')) {
    out.push(fieldInvalid('status.conditions', undefined, 'cannot set SuccessCriteriaMet=True and FailureTarget=true conditions'));
  }
  if (spec.successPolicy != null && !conditionTrue(obj, 'SuccessCriteriaMet') && complete) {
    out.push(
      fieldInvalid('status.conditions', undefined, 'cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True'),
    );
  }

  // ValidateJobStatusUpdate: transitions from the old status.
  for (const type of ['Failed', 'Complete', 'FailureTarget']) {
    if (conditionTrue(old, type) && !conditionTrue(obj, type)) {
      out.push(fieldInvalid('status.conditions', undefined, `cannot disable the terminal ${type}=True condition`));
    }
  }
  if (n('failed') < n('failed', oldStatus)) out.push(fieldInvalid('status.failed', n('failed'), 'cannot decrease the failed counter'));
  // Elastic Indexed Jobs (completions == parallelism) may scale the succeeded counter down.
  const mayDecreaseSucceeded = indexed && spec.completions != null && spec.completions === spec.parallelism;
  if (!mayDecreaseSucceeded && n('succeeded') < n('succeeded', oldStatus)) {
    out.push(fieldInvalid('status.succeeded', n('succeeded'), 'cannot decrease the succeeded counter'));
  }
  if (status.completionTime != null && oldStatus.completionTime != null && status.completionTime !== oldStatus.completionTime) {
    out.push(fieldInvalid('status.completionTime', status.completionTime, 'completionTime cannot be mutated'));
  }
  if (startTimeChanged && oldStatus.startTime != null && spec.suspend !== true) {
    out.push(fieldRequired('status.startTime', 'startTime cannot be removed for unsuspended job'));
  }
  if (conditionTrue(old, 'SuccessCriteriaMet') && !conditionTrue(obj, 'SuccessCriteriaMet')) {
    out.push(fieldInvalid('status.conditions', undefined, 'cannot disable the SuccessCriteriaMet=True condition'));
  }
  if (isComplete(old) && !conditionTrue(old, 'SuccessCriteriaMet') && conditionTrue(obj, 'SuccessCriteriaMet')) {
    out.push(
      fieldInvalid('status.conditions', undefined, 'cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions'),
    );
  }
  return out;
}
