// batch/v1 Jobs and CronJobs (pkg/registry/batch/job/strategy.go, pkg/apis/batch/validation).
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import { defaultCronJob, defaultJob } from '../defaults/batch.js';
import { fieldCount } from '../fieldsets.js';
import * as batch from '../printers/batch.js';
import { defineStrategy } from '../strategy.js';

export const jobs = defineStrategy({
  resource: 'batch/jobs',
  defaults: defaultJob,
  fieldLabels: { 'status.successful': fieldCount('status', 'succeeded') },
  printer: batch.jobs,
  prepareForCreate: generateJobSelector,
  validate: validateJob,
  validateUpdate(obj, old) {
    const out = validateJob(obj);
    if (!deepEqual(obj.spec?.completions, old.spec?.completions)) {
      out.push({ type: 'FieldValueInvalid', field: 'spec.completions', value: obj.spec?.completions, detail: 'field is immutable' });
    }
    if (old.spec?.selector !== undefined && !deepEqual(obj.spec?.selector, old.spec?.selector)) {
      out.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: obj.spec?.selector, detail: 'field is immutable' });
    }
    return out;
  },
});

export const cronJobs = defineStrategy({
  resource: 'batch/cronjobs',
  defaults: defaultCronJob,
  printer: batch.cronJobs,
});

/** Without manualSelector, the Job selects its pods by its own uid (generateSelector). */
function generateJobSelector(obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  if (spec.manualSelector === true) return;
  const uid: string = obj.metadata?.uid ?? '';
  const name: string = obj.metadata?.name ?? '';
  const template = (spec.template ??= {});
  const meta = (template.metadata ??= {});
  meta.labels = {
    ...(meta.labels ?? {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}

function validateJob(obj: KubeObject): FieldError[] {
  const containers: unknown[] = obj.spec?.template?.spec?.containers ?? [];
  const out: FieldError[] = [];
  if (containers.length === 0) out.push({ type: 'FieldValueRequired', field: 'spec.template.spec.containers', detail: '' });
  const rp = obj.spec?.template?.spec?.restartPolicy;
  if (rp !== 'OnFailure' && rp !== 'Never') {
    out.push({
      type: 'FieldValueNotSupported',
      field: 'spec.template.spec.restartPolicy',
      value: rp ?? '',
      detail: 'supported values: "OnFailure", "Never"',
    });
  }
  return out;
}
