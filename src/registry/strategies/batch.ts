// batch/v1 Jobs and CronJobs (pkg/registry/batch/{job,cronjob}/strategy.go); validation in src/registry/validation/batch.ts.
import type { KubeObject } from '../../apimachinery/meta.js';
import { defaultCronJob, defaultJob } from '../defaults/batch.js';
import { fieldCount } from '../fieldsets.js';
import * as batch from '../printers/batch.js';
import { decodedForm } from '../store.js';
import { defineStrategy } from '../strategy.js';
import { ensureTemplate, keepStoredSpec } from './apps.js';
import { withKubeFinalizers } from '../validation/core/objectmeta.js';
import { dropDisabledPodSpecFields } from '../validation/core/pod.js';
import { validateCronJob, validateCronJobUpdate, validateJob, validateJobStatusUpdate, validateJobUpdate } from '../validation/batch.js';

export const jobs = defineStrategy({
  resource: 'batch/jobs',
  defaults: defaultJob,
  fieldLabels: { 'status.successful': fieldCount('status', 'succeeded') },
  printer: batch.jobs,
  prepareForCreate(obj) {
    ensureTemplate((obj.spec ??= {}), 'template');
    generateJobSelector(obj);
    dropDisabledPodSpecFields(obj.spec.template.spec);
  },
  prepareForUpdate(obj) {
    ensureTemplate((obj.spec ??= {}), 'template');
    dropDisabledPodSpecFields(obj.spec.template.spec);
  },
  // The kind's validation is kube's whole ValidateX (pod template included): the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateJob),
  validateUpdate: (obj, old) => validateJobUpdate(obj, old, decodedForm(obj)),
  prepareForStatusUpdate: keepStoredSpec,
  validateStatusUpdate: validateJobStatusUpdate,
});

export const cronJobs = defineStrategy({
  resource: 'batch/cronjobs',
  defaults: defaultCronJob,
  printer: batch.cronJobs,
  prepareForCreate: prepareCronJobTemplate,
  prepareForUpdate: prepareCronJobTemplate,
  // The kind's validation is kube's whole ValidateX (pod template included): the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateCronJob),
  validateUpdate: validateCronJobUpdate,
  // cronJobStatusStrategy.ValidateUpdate checks nothing beyond ObjectMeta.
  prepareForStatusUpdate: keepStoredSpec,
  validateStatusUpdate: () => [],
});

/**
 * Without manualSelector, the Job selects its pods by its own uid (generateSelector): the template gains the
 * job-name and controller-uid labels it lacks (labels already there are kept, for validation to judge) and the
 * selector gains the controller-uid label (a selector the client sent is kept, for validation to refuse).
 */
function generateJobSelector(obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  if (spec.manualSelector === true) return;
  const uid: string = obj.metadata?.uid ?? '';
  const name: string = obj.metadata?.name ?? '';
  const template = (spec.template ??= {});
  const meta = (template.metadata ??= {});
  const labels: Record<string, string> = (meta.labels ??= {});
  for (const key of ['job-name', 'batch.kubernetes.io/job-name']) if (!(key in labels)) labels[key] = name;
  for (const key of ['controller-uid', 'batch.kubernetes.io/controller-uid']) if (!(key in labels)) labels[key] = uid;
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  if (!('batch.kubernetes.io/controller-uid' in matchLabels)) matchLabels['batch.kubernetes.io/controller-uid'] = uid;
}

/** The job template and its pod template, as non-pointer structs, are validated even when absent. */
function prepareCronJobTemplate(obj: KubeObject): void {
  const jobTemplate = ((obj.spec ??= {}).jobTemplate ??= {});
  ensureTemplate((jobTemplate.spec ??= {}), 'template');
  dropDisabledPodSpecFields(jobTemplate.spec.template.spec);
}
