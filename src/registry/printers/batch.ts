// Job and CronJob rows (printJob, printCronJob).
import type { KubeObject } from '../../storage/interface.js';
import { NONE, containerCells, formatLabelSelector, int, nameOf, str } from './format.js';
import { age, humanDuration, parseTimestamp, timestampSince } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

/** hasJobCondition: the first condition of the type decides. */
function hasCondition(conditions: Json[], type: string): boolean {
  for (const c of conditions) if (c?.type === type) return c.status === 'True';
  return false;
}

function jobStatus(job: KubeObject): string {
  const conditions: Json[] = Array.isArray(job.status?.conditions) ? job.status.conditions : [];
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(job: KubeObject): string {
  const succeeded = int(job.status?.succeeded);
  const spec = job.spec ?? {};
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = int(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, nowMs: number): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime);
  return humanDuration((end ?? nowMs) - start);
}

export const jobs: Printer = {
  columns: ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector'],
  cells(obj, nowMs): Cell[] {
    const [names, images] = containerCells(obj.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      jobStatus(obj),
      completions(obj),
      jobDuration(obj, nowMs),
      age(obj, nowMs),
      names,
      images,
      formatLabelSelector(obj.spec?.selector),
    ];
  },
};

/**
 * printBoolPtr: True/False, `<unset>` for nil. batch/v1 defaulting sets spec.suspend=false on decode, so an
 * absent field prints as kube would show it: False.
 */
function suspend(v: unknown): string {
  return v === true ? 'True' : 'False';
}

export const cronJobs: Printer = {
  columns: ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector'],
  cells(obj, nowMs): Cell[] {
    const spec = obj.spec ?? {};
    const jobSpec = spec.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    const lastSchedule = obj.status?.lastScheduleTime;
    return [
      nameOf(obj),
      str(spec.schedule),
      typeof spec.timeZone === 'string' ? spec.timeZone : NONE,
      suspend(spec.suspend),
      Array.isArray(obj.status?.active) ? obj.status.active.length : 0,
      lastSchedule ? timestampSince(lastSchedule, nowMs) : NONE,
      age(obj, nowMs),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
