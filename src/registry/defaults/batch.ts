// batch/v1 (pkg/apis/batch/v1/defaults.go, v1.34). A CronJob's jobTemplate is a JobTemplateSpec, not a Job, so
// SetDefaults_Job does not reach it; only type-level defaults (PodSpec, pod failure policy patterns) do.
import { child, defaultEmptyString, defaultNil, isEmptyCollection, isNil, items, optional, type Json } from './json.js';
import { defaultPodTemplate } from './podspec.js';

/** BackoffLimit when backoffLimitPerIndex is set: math.MaxInt32, so only the per-index limit counts. */
const MAX_INT32 = 2147483647;

export function defaultJob(job: Json): void {
  const spec = child(job, 'spec');
  // A non-parallel job may leave both unset; then both are 1.
  if (isNil(spec.completions) && isNil(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultNil(spec, 'parallelism', 1);
  defaultNil(spec, 'backoffLimit', isNil(spec.backoffLimitPerIndex) ? 6 : MAX_INT32);
  const templateLabels = optional(optional(optional(spec, 'template'), 'metadata'), 'labels');
  if (templateLabels) {
    const metadata = child(job, 'metadata');
    if (isEmptyCollection(metadata.labels)) metadata.labels = { ...templateLabels };
  }
  defaultNil(spec, 'completionMode', 'NonIndexed');
  defaultNil(spec, 'suspend', false);
  // JobPodReplacementPolicy is on by default in 1.34.
  defaultNil(spec, 'podReplacementPolicy', isNil(spec.podFailurePolicy) ? 'TerminatingOrFailed' : 'Failed');
  defaultNil(spec, 'manualSelector', false);
  defaultJobSpecTypes(spec);
}

export function defaultCronJob(cronJob: Json): void {
  const spec = child(cronJob, 'spec');
  defaultEmptyString(spec, 'concurrencyPolicy', 'Allow');
  defaultNil(spec, 'suspend', false);
  defaultNil(spec, 'successfulJobsHistoryLimit', 3);
  defaultNil(spec, 'failedJobsHistoryLimit', 1);
  const jobSpec = optional(optional(spec, 'jobTemplate'), 'spec');
  if (jobSpec) defaultJobSpecTypes(jobSpec);
}

/** Defaults that belong to types inside a JobSpec, so they apply in Jobs and CronJob job templates alike. */
function defaultJobSpecTypes(jobSpec: Json): void {
  for (const rule of items(optional(jobSpec, 'podFailurePolicy'), 'rules')) {
    for (const pattern of items(rule, 'onPodConditions')) defaultEmptyString(pattern, 'status', 'True');
  }
  defaultPodTemplate(optional(jobSpec, 'template'));
}
