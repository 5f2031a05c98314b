// batch/v1 Job and CronJob validation as kube-apiserver v1.34 applies it (pkg/apis/batch/validation/validation.go:
// ValidateJob, validateJobSpec, ValidateJobSpecUpdate, ValidateCronJobCreate, validateCronJobSpec), with CronJob
// schedules parsed as github.com/robfig/cron/v3's ParseStandard does, error texts included. podFailurePolicy and
// successPolicy rules are not transcribed yet.
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
  validateLabelSelector,
  validateNonnegativeField,
} from '../../apimachinery/validation.js';
import { validatePodTemplateSpec } from './core/pod.js';
import { parseLabelSelector } from './selectors.js';

type Json = Record<string, any>;

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100000;
const COMPLETIONS_SOFT_LIMIT = 100000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10000;
const MAX_MANAGED_BY_LENGTH = 63;
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
  if (spec.successPolicy != null && mode !== 'Indexed') {
    out.push(fieldInvalid(`${p}.successPolicy`, internalSuccessPolicy(spec.successPolicy), 'requires indexed completion mode'));
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

function internalSuccessPolicy(sp: Json): Record<string, unknown> {
  return { Rules: sp.rules ?? null };
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
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host) || host.length > 253) {
    out.push(fieldInvalid(p, host, 'must be a lowercase RFC 1123 subdomain'));
  }
  return out;
}

// ---- Jobs --------------------------------------------------------------------------------------------------

/** ValidateJob (after ObjectMeta): the generated selector is kgate's own, so its checks cannot fail here. */
export function validateJob(obj: KubeObject): FieldError[] {
  const spec: Json = obj.spec ?? {};
  const out = validateJobSpec(spec);
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
 * ValidateJobSpecUpdate. The template is immutable; kube shows it as its internal Go struct in the message, kgate
 * as the v1 JSON the client sent (the one difference in that cause).
 */
export function validateJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec: Json = obj.spec ?? {};
  const oldSpec: Json = old.spec ?? {};
  const out = validateJobSpec(spec);
  if (spec.completionMode !== 'Indexed') immutable(spec.completions, oldSpec.completions, 'spec.completions', out);
  else if (!deepEqual(spec.completions, oldSpec.completions) && spec.completions != null && spec.completions !== spec.parallelism) {
    out.push(fieldInvalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  }
  immutable(spec.selector, oldSpec.selector, 'spec.selector', out);
  validatePodTemplateUpdate(spec, oldSpec, old.status?.startTime == null && oldSpec.suspend === true, out);
  for (const k of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    immutable(spec[k], oldSpec[k], `spec.${k}`, out);
  }
  return out;
}

/** A suspended Job that never started may change its scheduling directives (AllowMutableSchedulingDirectives). */
function validatePodTemplateUpdate(spec: Json, oldSpec: Json, mutableScheduling: boolean, out: FieldError[]): void {
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
  if (!deepEqual(template, oldTemplate)) out.push(fieldInvalid('spec.template', template, FIELD_IMMUTABLE_ERROR_MSG));
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

export function validateCronJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateCronJobSpec(obj.spec ?? {}, old.spec ?? {});
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
  if (zone === 'UTC' || zone === '' || zone.toLowerCase() === 'local') return true;
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
const GO_DURATION = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[+-]?0$/;

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
      return GO_DURATION.test(d) ? '' : `failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`;
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
