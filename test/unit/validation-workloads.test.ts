// Pod, pod-template and workload validation (src/registry/validation/{core/pod,apps,batch}.ts) against what the
// reference kube-apiserver v1.34.4 answered for the same create requests (test/fixtures/validation/). Each case
// goes through the kind's defaults, PrepareForCreate and validation exactly as a POST would, without HTTP.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { StatusError } from '../../src/apimachinery/errors.js';
import { formatQuantity, parseQuantity } from '../../src/apimachinery/quantity.js';
import { beforeCreate } from '../../src/registry/rest/create.js';
import { strategyFor } from '../../src/registry/strategies/index.js';
import { parseStandardCron } from '../../src/registry/validation/batch.js';
import { builtinScheme } from '../../src/scheme/index.js';

interface Cause {
  reason: string;
  field: string;
  message: string;
}

interface Case {
  name: string;
  path: string;
  body: Record<string, any>;
  status: number;
  causes: Cause[];
  message?: string;
  unordered?: boolean;
  note?: string;
}

const FIXTURE = new URL('../../../test/fixtures/validation/workloads-v1.34.4.json', import.meta.url).pathname;
const { cases } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { cases: Case[] };
const scheme = builtinScheme();

/** `/api/v1/namespaces/default/pods` or `/apis/apps/v1/namespaces/default/deployments` → its resource. */
function resourceOf(path: string) {
  const parts = path.split('/').filter(Boolean);
  const [group, version] = parts[0] === 'api' ? ['', parts[1]] : [parts[1], parts[2]];
  const info = scheme.lookup(group, version, parts[parts.length - 1]);
  assert.ok(info, path);
  return info;
}

/** The decoder drops object members that are JSON null (Go decodes them to the zero value). */
function withoutNulls(v: unknown): any {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

function create(c: Case): { status: number; causes: Cause[]; message?: string } {
  const info = resourceOf(c.path);
  const strategy = strategyFor(info, { eventTTLSeconds: 0 });
  const obj = withoutNulls(structuredClone(c.body));
  strategy.defaults(obj);
  try {
    beforeCreate(
      {
        info,
        strategy,
        namespace: 'default',
        uid: '6ca06095-b2d3-4648-a314-7aeea2f927b9',
        now: '2026-12-07T17:00:00Z',
        generateName: (b) => `${b}abcde`,
      },
      obj,
    );
    return { status: 201, causes: [] };
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    const causes = (e.status.details?.causes ?? []).map((x) => ({
      reason: x.reason ?? '',
      field: x.field ?? '',
      message: x.message ?? '',
    }));
    return { status: e.status.code ?? 0, causes, message: e.status.message };
  }
}

const key = (c: Cause) => `${c.field} ${c.reason} ${c.message}`;

describe('workload validation: the causes kube-apiserver v1.34.4 gives', () => {
  const byKind = new Map<string, Case[]>();
  for (const c of cases) {
    const kind = c.path.split('/').pop()!;
    byKind.set(kind, [...(byKind.get(kind) ?? []), c]);
  }
  for (const [kind, list] of byKind) {
    describe(`${kind} (${list.length} cases)`, () => {
      for (const c of list) {
        it(`${c.name}: ${c.status === 201 ? 'is created' : `is refused with ${c.causes.length} cause(s)`}`, () => {
          const got = create(c);
          assert.equal(got.status, c.status);
          if (c.unordered) assert.deepEqual(got.causes.map(key).sort(), c.causes.map(key).sort());
          else assert.deepEqual(got.causes, c.causes);
          if (c.message !== undefined && !c.unordered) assert.equal(got.message, c.message);
        });
      }
    });
  }
});

describe('resource.Quantity as kube prints it in messages', () => {
  const canonical: [string | number, string][] = [
    ['0.5', '500m'],
    ['1.5Gi', '1536Mi'],
    ['1024Mi', '1Gi'],
    ['1e3', '1e3'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['0', '0'],
    ['-1', '-1'],
    ['1Ki', '1Ki'],
    ['1000Ki', '1000Ki'],
    ['512', '512'],
    ['100m', '100m'],
    ['0.0000000001', '1n'],
    [2, '2'],
    ['1.5', '1500m'],
    ['5M', '5M'],
  ];
  for (const [input, want] of canonical) {
    it(`${JSON.stringify(input)} prints as ${want}`, () => assert.equal(formatQuantity(parseQuantity(input)!), want));
  }
  for (const bad of ['', 'abc', '1.2.3', '1Q', '--1', '.']) {
    it(`${JSON.stringify(bad)} does not parse`, () => assert.equal(parseQuantity(bad), undefined));
  }
});

describe('CronJob schedules as robfig/cron ParseStandard reads them', () => {
  const ok = ['* * * * *', '*/15 0-6 1,15 jan-jun mon-fri', '@daily', '@every 90s', '0 0 29 2 *', '0 0 * * SUN'];
  for (const s of ok) it(`${s} parses`, () => assert.equal(parseStandardCron(s), ''));
  const bad: [string, string][] = [
    ['* * *', 'expected exactly 5 fields, found 3: [* * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-2 * * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
    ['a * * * *', 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'],
    ['@never', 'unrecognized descriptor: @never'],
  ];
  for (const [s, want] of bad) it(`${s} is refused: ${want}`, () => assert.equal(parseStandardCron(s), want));
});
