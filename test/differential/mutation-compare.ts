// Compares kgate's and kube-apiserver's answers to generated invalid objects (mutations.test.ts) and tallies the
// differences: agreement per kind, and each distinct difference (kind + field path pattern + reason) with one
// example, written as notes per area for the people fixing kgate's validation. The comparison rule: the same
// status code and the same causes (field, reason, message) in the same order, except that causes kube produces by
// walking a Go map (labels, resource lists, data, parameters, selectors: kube's order is random) are compared as
// a set, every other cause keeping its exact position.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpResponse } from '../support/http.js';
import { MAP_FIELDS } from './generic-mutations.js';
import type { Area } from './seeds.js';

export interface Cause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface Answer {
  status: number;
  reason?: string;
  message?: string;
  causes: Cause[];
}

/**
 * Masks what differs between any two servers by design inside messages (kube quotes whole objects in some, e.g.
 * a patch that does not decode): uids, timestamps, resourceVersions, allocated cluster IPs and node ports.
 */
export const maskMessage = (text: string | undefined) =>
  text
    ?.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/(resourceVersion\\*"?:\s*\\*")\d+/gi, '$1<rv>')
    // A service's allocated cluster IP and node ports (the reference serves 10.0.0.0/24).
    .replace(/\b10\.0\.0\.\d{1,3}\b/g, '<cluster-ip>')
    .replace(/(nodePort\\*"?:\s*)\d+/g, '$1<node-port>');

/** The answer to compare; `generateName`, when the request had one, masks the random suffix a server added. */
export function answerOf(res: HttpResponse, generateName?: string): Answer {
  const status = res.body?.kind === 'Status' ? res.body : undefined;
  const causes: Cause[] = status?.details?.causes ?? [];
  // kube's name generator keeps the first 58 characters of generateName, then adds the 5 random ones.
  const base = generateName?.slice(0, 58);
  // Only a quoted value: a short generateName ("-") would otherwise eat words of the message ("non-empty").
  const suffix = base ? new RegExp(`(?<=")${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[a-z0-9]{5}(?=\\\\?")`, 'g') : undefined;
  const mask = (m: string | undefined) => (suffix ? maskMessage(m)?.replace(suffix, `${base}<suffix>`) : maskMessage(m));
  return {
    status: res.status,
    ...(status ? { reason: status.reason, message: mask(status.message) } : {}),
    causes: causes.map((c) => ({ ...c, message: maskAllocatedDuplicate(c, mask(c.message)) })),
  };
}

/**
 * A Service port duplicated by the mutation carries the NodePort the server picked at random for the original: the
 * two servers' numbers differ by design, the rule does not.
 */
function maskAllocatedDuplicate(c: Cause, message: string | undefined): string | undefined {
  if (c.reason !== 'FieldValueDuplicate' || !/\.nodePort$/.test(c.field ?? '')) return message;
  return message?.replace(/^Duplicate value: \d+$/, 'Duplicate value: <node-port>');
}

export const render = (c: Cause) => `${c.field} | ${c.reason} | ${c.message}`;

/** A cause kube reports while walking a Go map: a map key subscript, or a field that names a map. */
export function mapOrdered(c: Cause): boolean {
  const field = c.field ?? '';
  if (/\[[^\]]*[^\d\]][^\]]*\]/.test(field)) return true;
  const last =
    field
      .replace(/\[[^\]]*\]/g, '')
      .split('.')
      .pop() ?? '';
  return MAP_FIELDS.has(last);
}

/** Equal, or equal once the map-ordered causes are taken as a set (the others keep their order). */
export function sameCauses(kube: Cause[], kgate: Cause[]): boolean {
  const a = kube.map(render);
  const b = kgate.map(render);
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  if (JSON.stringify([...a].sort()) !== JSON.stringify([...b].sort())) return false;
  const others = (list: Cause[]) => list.filter((c) => !mapOrdered(c)).map(render);
  return JSON.stringify(others(kube)) === JSON.stringify(others(kgate));
}

export const sameAnswer = (kube: Answer, kgate: Answer) => kube.status === kgate.status && sameCauses(kube.causes, kgate.causes);

/** A field path with list indices as [*] and map keys as [key]: one pattern for many requests. */
export const fieldPattern = (field: string | undefined) =>
  (field ?? '(no field)').replace(/\[([^\]]*)\]/g, (_m, inner: string) => (/^\d+$/.test(inner) ? '[*]' : '[key]'));

/** Where a workload kind keeps its pod spec: differences there are one pod-spec difference whatever the kind. */
const POD_SPEC = /^(spec\.jobTemplate\.spec\.template\.spec|spec\.template\.spec|template\.spec)\.(.+)$/;
/** ObjectMeta fields whose rules are the same for every kind (the name rules differ per kind, so not those). */
const SHARED_META =
  /^metadata(\.(labels|annotations|finalizers|ownerReferences|uid|resourceVersion|generation|managedFields|deletionGracePeriodSeconds|creationTimestamp)|$|\[)/;
export const POD_SUBJECT = 'pod spec (any kind)';
export const META_SUBJECT = 'ObjectMeta (any kind)';
/** Answers decided before or around validation: decoding, the name in the URL, a patch that does not decode. */
export const REQUEST_SUBJECT = 'request handling (any kind)';

/** Kind, or the shared subject a field pattern belongs to, and the pattern relative to it. */
function subjectOf(kind: string, pattern: string): [string, string] {
  if (pattern === 'patch') return [REQUEST_SUBJECT, pattern];
  const pod = POD_SPEC.exec(pattern) ?? (/^pod\b/i.test(kind) ? /^(spec)\.(.+)$/.exec(pattern) : null);
  if (pod) return [POD_SUBJECT, `<podspec>.${pod[2]}`];
  if (SHARED_META.test(pattern)) return [META_SUBJECT, pattern];
  return [kind, pattern];
}

/** A message with its values masked: one pattern for many requests that differ only in names and numbers. */
const messageShape = (m: string | undefined) =>
  (m ?? '')
    // A storage error names the etcd key, which starts with the reference's random --etcd-prefix.
    .replace(/Key: \S+/g, 'Key: …')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\([^)]*\)/g, '(…)')
    .replace(/\d+/g, 'N')
    .slice(0, 140);

/** The distinct differences one pair of answers shows (empty when they agree): `subject | pattern | reason | what`. */
export function signatures(kind: string, kube: Answer, kgate: Answer): string[] {
  const kubeOnly = [...kube.causes];
  const kgateOnly: Cause[] = [];
  for (const c of kgate.causes) {
    const i = kubeOnly.findIndex((k) => render(k) === render(c));
    if (i >= 0) kubeOnly.splice(i, 1);
    else kgateOnly.push(c);
  }
  const sig = (field: string | undefined, rest: string) => {
    const [subject, pattern] = subjectOf(kind, fieldPattern(field));
    return `${subject} | ${pattern} | ${rest}`;
  };
  // One server refused before validation (400 name undeterminable, 409, 500) while the other validated: the refusal
  // is the difference, not the causes the other went on to find.
  const refusedEarly = (a: Answer) => a.status >= 300 && a.causes.length === 0;
  if (kube.status !== kgate.status && (refusedEarly(kube) || refusedEarly(kgate))) {
    const said = messageShape(refusedEarly(kube) ? kube.message : kgate.message);
    return [`${REQUEST_SUBJECT} | ${said} | code: kube ${kube.status} ${kube.reason ?? ''} vs kgate ${kgate.status} ${kgate.reason ?? ''}`];
  }
  const out: string[] = [];
  for (const k of kubeOnly) {
    const j = kgateOnly.findIndex((c) => c.field === k.field && c.reason === k.reason);
    if (j >= 0) {
      kgateOnly.splice(j, 1);
      out.push(sig(k.field, `${k.reason} | message differs`));
    } else out.push(sig(k.field, `${k.reason} | only kube reports it`));
  }
  for (const c of kgateOnly) out.push(sig(c.field, `${c.reason} | only kgate reports it`));
  if (out.length === 0 && kube.status !== kgate.status) {
    // No cause to name the field: the first mutated path stands for it, and kube's message for the rule.
    // No cause names a field: the status message (values masked) names the rule, and it is rarely the kind's own.
    const said = messageShape(kube.status >= 300 ? kube.message : kgate.message);
    out.push(
      `${REQUEST_SUBJECT} | ${said} | code: kube ${kube.status} ${kube.reason ?? ''} vs kgate ${kgate.status} ${kgate.reason ?? ''}`,
    );
  } else if (out.length === 0 && !sameCauses(kube.causes, kgate.causes)) {
    out.push(sig(kube.causes[0]?.field, 'causes in another order'));
  }
  return [...new Set(out)];
}

/** Which notes file a difference belongs in: pod-spec ones to the pod file, shared ObjectMeta ones to core. */
function areaOf(area: Area, signature: string): Area {
  if (signature.startsWith(POD_SUBJECT) || /^Pod(Template)? \|/.test(signature)) return 'pod';
  if (signature.startsWith(META_SUBJECT) || signature.startsWith(REQUEST_SUBJECT)) return 'core';
  return area;
}

/**
 * An answer for the notes: the status, then the causes the other server did not report the same (each on one line:
 * kube's immutability messages carry a multi-line diff), the shared ones counted, so an example stays short.
 */
const showAnswer = (a: Answer, other: Answer) => {
  const head = `${a.status}${a.reason ? ` ${a.reason}` : ''}`;
  if (a.causes.length === 0) return a.status >= 300 ? `${head}: ${a.message ?? ''}`.replace(/\n/g, '⏎').slice(0, 400) : head;
  const rest = [...other.causes];
  const own: Cause[] = [];
  let shared = 0;
  for (const c of a.causes) {
    const i = rest.findIndex((r) => render(r) === render(c));
    if (i >= 0) {
      rest.splice(i, 1);
      shared++;
    } else own.push(c);
  }
  const line = (c: Cause) => {
    // A message that differs from the other server's for the same field and reason: show where they part.
    const twin = rest.find((r) => r.field === c.field && r.reason === c.reason)?.message;
    const m = c.message ?? '';
    let at = 0;
    while (twin !== undefined && at < m.length && m[at] === twin[at]) at++;
    const shown = at > 60 ? `…${m.slice(at - 60, at + 240)}` : m.slice(0, 300);
    return `      ${c.field} | ${c.reason} | ${shown}`.replace(/\n/g, '⏎');
  };
  // Only the order differs: show the order.
  if (own.length === 0)
    return `${head}, in this order:\n${a.causes.map((c) => `      ${render(c).replace(/\n/g, '⏎').slice(0, 160)}`).join('\n')}`;
  const lines = own.slice(0, 8).map(line);
  if (own.length > 8) lines.push(`      … ${own.length - 8} more`);
  if (shared > 0) lines.push(`      (+ ${shared} cause${shared > 1 ? 's' : ''} both report)`);
  return `${head}\n${lines.join('\n')}`;
};

interface Distinct {
  area: Area;
  count: number;
  /** The kinds whose requests showed it, with how often and the first example for each. */
  kinds: Map<string, { count: number; example: string }>;
  example: string;
}

/** The kinds a shared difference was seen in, for the notes. */
const kindsNote = (sig: string, kinds: Distinct['kinds']) =>
  sig.startsWith(POD_SUBJECT) || sig.startsWith(META_SUBJECT) || sig.startsWith(REQUEST_SUBJECT)
    ? ` (${[...kinds.keys()].slice(0, 12).join(', ')}${kinds.size > 12 ? ', …' : ''})`
    : '';

/** Agreement per kind and the distinct differences over a run. */
export class Tally {
  readonly perKind = new Map<string, { total: number; agree: number; area: Area }>();
  readonly distinct = new Map<string, Distinct>();

  /** Counts one request; returns the signatures of its differences (none when the answers agree). */
  record(kind: string, area: Area, request: string, kube: Answer, kgate: Answer): string[] {
    const k = this.perKind.get(kind) ?? { total: 0, agree: 0, area };
    this.perKind.set(kind, k);
    k.total++;
    if (sameAnswer(kube, kgate)) {
      k.agree++;
      return [];
    }
    const sigs = signatures(kind, kube, kgate);
    const example = `  - request: ${request}\n  - kube ${showAnswer(kube, kgate)}\n  - kgate ${showAnswer(kgate, kube)}`;
    for (const sig of sigs) {
      const d = this.distinct.get(sig) ?? { area: areaOf(area, sig), count: 0, kinds: new Map(), example };
      this.distinct.set(sig, d);
      d.count++;
      const perKind = d.kinds.get(kind) ?? { count: 0, example };
      d.kinds.set(kind, perKind);
      perKind.count++;
    }
    return sigs;
  }

  agreement(kinds?: string[]): string {
    const rows = [...this.perKind].filter(([kind]) => !kinds || kinds.includes(kind));
    const total = rows.reduce((n, [, k]) => n + k.total, 0);
    const agree = rows.reduce((n, [, k]) => n + k.agree, 0);
    const pct = (a: number, t: number) => (t === 0 ? '-' : `${((100 * a) / t).toFixed(1)}%`);
    return [
      `${agree}/${total} agree (${pct(agree, total)})`,
      ...rows.map(([kind, k]) => `  ${kind}: ${k.agree}/${k.total} (${pct(k.agree, k.total)})`),
    ].join('\n');
  }

  /** The distinct differences `kind`'s requests showed, most frequent first. */
  describe(kind: string, limit = 25): string {
    const list = [...this.distinct]
      .flatMap(([sig, d]) => {
        const mine = d.kinds.get(kind);
        return mine ? [[sig, mine] as const] : [];
      })
      .sort((a, b) => b[1].count - a[1].count);
    const shown = list.slice(0, limit).map(([sig, d]) => `${sig} (${d.count})\n${d.example}`);
    if (list.length > limit) shown.push(`… and ${list.length - limit} more distinct differences`);
    return shown.join('\n');
  }

  /** Writes diff-<area>.md into `dir`: per area, the agreement of its kinds and its distinct differences. */
  writeNotes(dir: string, header: string): void {
    mkdirSync(dir, { recursive: true });
    const titles: Record<Area, string> = {
      apps: 'apps and batch kinds (fields outside the pod template)',
      pod: 'Pod and pod-template fields (any kind)',
      core: 'core kinds other than Pod',
      groups: 'all other groups',
    };
    for (const area of Object.keys(titles) as Area[]) {
      const kinds = [...this.perKind].filter(([, k]) => k.area === area).map(([kind]) => kind);
      const list = [...this.distinct].filter(([, d]) => d.area === area).sort((a, b) => b[1].count - a[1].count);
      const text = [
        `# Generated-invalid-object differences: ${titles[area]}`,
        '',
        header,
        '',
        'Agreement (kinds whose seeds are in this area; pod-template differences of apps/core kinds are listed in diff-pod.md):',
        '```',
        kinds.length > 0 ? this.agreement(kinds) : '(none)',
        '```',
        '',
        `${list.length} distinct differences (subject | field pattern | reason | what differs), most frequent first, each with`,
        `one example. Subject is the kind, or "${POD_SUBJECT}" for fields under a pod spec (<podspec> = spec of a Pod,`,
        `template.spec of a PodTemplate, spec.template.spec of a workload, spec.jobTemplate.spec.template.spec of a CronJob),`,
        `or "${META_SUBJECT}" for ObjectMeta rules every kind shares, or "${REQUEST_SUBJECT}" for answers decided`,
        `outside a kind's validation (decoding, the name in the URL, a merge patch whose result does not decode; the pattern`,
        `is then the status message with values masked); those two are listed in diff-core.md.`,
        'Seeds: test/differential/seeds.ts (seed #n of the kind); the mutations listed are applied to it; an update (PUT or',
        'merge PATCH) first creates the seed unchanged under the name in the URL.',
        '',
        ...list.map(([sig, d]) => `### ${sig} — ${d.count}${kindsNote(sig, d.kinds)}\n${d.example}\n`),
      ].join('\n');
      writeFileSync(join(dir, `diff-${area}.md`), `${text}\n`);
    }
  }
}
