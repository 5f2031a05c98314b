// Validation cases transcribed from kube's validation_test.go tables (test/fixtures/validation/cases/*.json): each
// case names the kube test and table entry it comes from, the request a client sends, and the answer the reference
// kube-apiserver v1.34.4 gave (recorded by tools/record-validation-cases.ts, never written by hand). The same replay
// runs against kgate (test/integration/validation-cases.test.ts) and against the reference, so a stale answer fails.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Requester } from './http.js';

export const CASES_DIR = fileURLToPath(new URL('../../../test/fixtures/validation/cases/', import.meta.url));

export interface Cause {
  reason: string;
  field: string;
  message: string;
}

export interface Answer {
  status: number;
  causes: Cause[];
  /** The Status message (for a 422 the whole aggregate, as kube writes it). */
  message: string;
}

/**
 * One request. A create POSTs `body` to `path`. An update first POSTs `old` to `path` (which must succeed), then
 * sends `update.body` to the object (or its `update.subresource`) as a JSON merge patch (PATCH) or, for PUT, as
 * the whole object with the created object's resourceVersion filled in.
 */
export interface ValidationCase {
  /** Unique in its file: `<kube test>/<table entry>`, e.g. `TestValidateJob/negative parallelism`. */
  name: string;
  /** The collection, e.g. /apis/batch/v1/namespaces/default/jobs. */
  path: string;
  body?: Record<string, any>;
  old?: Record<string, any>;
  update?: { method: 'PUT' | 'PATCH'; subresource?: string; body: Record<string, any> };
  /** Causes come from a Go map or a set kube walks in random order: compare them as a set. */
  unordered?: boolean;
  /** Why a case differs from kube's own expectation, when it does (feature gates, defaults applied first). */
  note?: string;
  /**
   * Why kgate does not give the recorded answer yet. The test then requires the difference to persist, so the
   * marker goes when it is fixed (as the differential suite's allow-list does).
   */
  knownDifference?: string;
  /** The reference's answer; absent until recorded. */
  answer?: Answer;
}

export interface CaseFile {
  about: string;
  cases: ValidationCase[];
}

export function caseFiles(): string[] {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(CASES_DIR, f));
}

export function loadCases(file: string): CaseFile {
  return JSON.parse(readFileSync(file, 'utf8')) as CaseFile;
}

function answerOf(status: number, body: any): Answer {
  const causes: Cause[] = (body?.details?.causes ?? []).map((c: any) => ({
    reason: c.reason ?? '',
    field: c.field ?? '',
    message: c.message ?? '',
  }));
  return { status, causes, message: typeof body?.message === 'string' ? body.message : '' };
}

function nameOf(c: ValidationCase): string | undefined {
  return (c.old ?? c.body)?.metadata?.name;
}

/** Sends the case's requests and returns the last answer; removes what it created. */
export async function replay(request: Requester, c: ValidationCase): Promise<Answer> {
  const name = nameOf(c);
  try {
    if (!c.update) {
      const res = await request('POST', c.path, { body: c.body });
      return res.status === 201 ? { status: 201, causes: [], message: '' } : answerOf(res.status, res.body);
    }
    const created = await request('POST', c.path, { body: c.old });
    if (created.status !== 201) {
      throw new Error(`${c.name}: creating the old object answered ${created.status}: ${created.body?.message ?? created.text}`);
    }
    const target = `${c.path}/${name}${c.update.subresource ? `/${c.update.subresource}` : ''}`;
    const res =
      c.update.method === 'PATCH'
        ? await request('PATCH', target, { body: c.update.body, headers: { 'content-type': 'application/merge-patch+json' } })
        : await request('PUT', target, {
            body: {
              ...c.update.body,
              metadata: { ...c.update.body.metadata, resourceVersion: created.body.metadata.resourceVersion },
            },
          });
    return res.status === 200 ? { status: 200, causes: [], message: '' } : answerOf(res.status, res.body);
  } finally {
    if (name) await request('DELETE', `${c.path}/${name}?gracePeriodSeconds=0`);
  }
}

const render = (c: Cause) => `${c.field} | ${c.reason} | ${c.message}`;

/** Causes kube produces while walking a Go map (resource lists), whose order changes from run to run. */
const fromResourceMap = (c: Cause) => /(^|\.)resources(\.|\[|$)|\.(requests|limits)(\[|$)/.test(c.field);

/** Differences between a recorded answer and a replayed one, as lines; empty when they agree. */
export function compareAnswers(c: ValidationCase, want: Answer, got: Answer): string[] {
  const out: string[] = [];
  if (want.status !== got.status) out.push(`status: want ${want.status}, got ${got.status}`);
  const a = want.causes.map(render);
  const b = got.causes.map(render);
  const exact = JSON.stringify(a) === JSON.stringify(b);
  const asSets = JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  // Outside `unordered` cases, only the causes from resource maps may move; every other cause keeps its place.
  const others = (list: Cause[]) => list.filter((x) => !fromResourceMap(x)).map(render);
  const same = exact || (asSets && (c.unordered || JSON.stringify(others(want.causes)) === JSON.stringify(others(got.causes))));
  if (!same) out.push(`causes:\n  want ${a.join('\n       ')}\n  got  ${b.join('\n       ')}`);
  // The aggregate message follows the causes' order, so it is compared only when that order is the same.
  if (exact && want.message !== got.message) out.push(`message:\n  want ${want.message}\n  got  ${got.message}`);
  return out;
}
