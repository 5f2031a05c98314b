// Generic, shape-driven mutations of the valid seeds (seeds.ts) for the generated-invalid-object differential
// suite (issue 10): every value in a seed is a site; a site is broken by what its JSON type allows (numbers out of
// range, strings replaced by bad names, wrong-case enums or oversize text, fields and list entries removed or
// duplicated, maps given bad keys and values, values of the wrong JSON type), plus metadata faults every kind
// shares (bad names, generateName, namespace, finalizers, owner references). A mutant is a create, or an update
// (PUT or JSON merge patch) of a valid object created first, so the update rules (immutable fields) are hit too.
// Deterministic: the same kind, count and seed give the same mutants.
import { SEEDS, type Seed } from './seeds.js';

export type Op = 'create' | 'put' | 'patch';
type Path = Array<string | number>;

export interface Mutant {
  seed: Seed;
  /** Which seed of the kind (its order in SEEDS among that kind's seeds). */
  seedIndex: number;
  op: Op;
  /** The name the object is created under (and updated at, for put and patch). */
  name: string;
  /** The seed with its name: created first for put and patch. */
  original: Record<string, any>;
  /** The mutated object: created, or sent as the update. */
  body: Record<string, any>;
  /** What was done, e.g. `set spec.replicas = -1`, for the notes. */
  mutations: string[];
}

/** mulberry32: small, fast and good enough to spread mutations; seeded, so runs repeat. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hash = (text: string) => [...text].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);

/** Field names whose values are Go maps (labels, resource lists, data): their keys are arbitrary. */
export const MAP_FIELDS = new Set([
  'labels',
  'annotations',
  'matchLabels',
  'nodeSelector',
  'data',
  'binaryData',
  'stringData',
  'parameters',
  'limits',
  'requests',
  'hard',
  'capacity',
  'allocatable',
  'max',
  'min',
  'default',
  'defaultRequest',
  'maxLimitRequestRatio',
  'overhead',
  'volumeAttributes',
  'deprecatedTopology',
  'selector',
]);

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMap = (path: Path, v: unknown) =>
  isObject(v) && MAP_FIELDS.has(String(path[path.length - 1])) && !('matchLabels' in v) && !('matchExpressions' in v);

export const BAD_STRINGS = [
  '',
  ' ',
  'Bad_Name',
  'UPPER',
  '-lead',
  'trail-',
  'a..b',
  'a b',
  'a/b',
  'a/b/c',
  '/abs/path',
  '../up',
  'x:y',
  '*',
  '0',
  '-1',
  '1.5',
  '65536',
  '100Gi',
  '-5Gi',
  'Bogus',
  'x'.repeat(64),
  'a'.repeat(254),
  'y'.repeat(2000),
  'a\nb',
  '10.0.0.300',
  '::1',
  '10.0.0.0/33',
  'http://x.example.com/p',
  'ü',
  '$(VAR)',
  'a=b',
  '@',
];
const BAD_NUMBERS = [-1, 0, 1, -2147483648, 2147483647, 2147483648, 65535, 65536, 1.5, 1e10, 101, 3601, 86401, -100];
const BAD_KEYS = [
  'bad key',
  'a/b/c',
  '-x',
  'x'.repeat(64),
  'example.com/',
  'Ex_Ample.com/a',
  '',
  '.',
  '..',
  `${'a'.repeat(254)}/b`,
  'foo',
  'example.com/gpu',
  'hugepages-2Mi',
  'requests.cpu',
  'pods',
  'storage',
  'cpu',
  'kubernetes.io/x',
];
const BAD_VALUES = [
  '-1',
  '1.5',
  'x'.repeat(64),
  'bad value!',
  '',
  '1e3',
  '0.1m',
  'abc',
  '1Gi',
  '99999999999999999999',
  '-x',
  'not base64!',
];
const BAD_NAMES = ['', 'Bad_Name', '-a', 'a-', 'a..b', 'a.b', 'x'.repeat(64), 'x'.repeat(254), 'a b', 'A', '..', '.', 'a%b', 'a:b', 'a/b'];

/** A path as kube writes field paths: `spec.containers[0].name`, map keys in brackets. */
export function renderPath(path: Path, mapKeys: ReadonlySet<number> = new Set()): string {
  let out = '';
  path.forEach((p, i) => {
    if (typeof p === 'number' || mapKeys.has(i)) out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  });
  return out;
}

/** A value for the notes: long strings shortened (`"x"×64`), so examples stay readable. */
export function brief(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'string' && x.length > 40 ? `${x.slice(0, 1)}…×${x.length}` : x)) ?? 'undefined';
}

interface Site {
  path: Path;
  value: unknown;
  map: boolean;
  /** Indices in path that are map keys (for rendering). */
  mapKeys: Set<number>;
}

function collectSites(root: Record<string, any>): Site[] {
  const out: Site[] = [];
  const walk = (v: unknown, path: Path, mapKeys: Set<number>) => {
    const map = isMap(path, v);
    if (path.length > 0) out.push({ path, value: v, map, mapKeys });
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], mapKeys));
    else if (isObject(v))
      for (const [k, x] of Object.entries(v)) {
        if (path.length === 0 && (k === 'apiVersion' || k === 'kind')) continue;
        walk(x, [...path, k], map ? new Set([...mapKeys, path.length]) : mapKeys);
      }
  };
  walk(root, [], new Set());
  return out;
}

const parentOf = (root: any, path: Path) => path.slice(0, -1).reduce((x, k) => x[k], root);

function setAt(root: any, path: Path, value: unknown) {
  parentOf(root, path)[path[path.length - 1]!] = value;
}

function removeAt(root: any, path: Path) {
  const parent = parentOf(root, path);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A kind as a name part: `HorizontalPodAutoscaler/v2` → `horizontalpodautoscaler-v2`. */
const slugOf = (kind: string) => kind.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** The namespace a kind's mutants go to (one per kind). */
export const namespaceOf = (kind: string) => `mut-${slugOf(kind)}`;

/** `count` mutants of `kind`'s seeds from `seed`. */
export function generateMutants(kind: string, count: number, seed: number): Mutant[] {
  const rnd = prng(hash(kind) ^ seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const seeds = SEEDS.filter((s) => s.kind === kind);
  if (seeds.length === 0) throw new Error(`no seed for ${kind}`);
  const slug = slugOf(kind);

  /** Strings derived from the value itself: wrong-case enums, near-valid names, oversize copies. */
  const derived = (s: string) => [
    s.toUpperCase(),
    s.toLowerCase(),
    `${s}_`,
    `_${s}`,
    `${s}.`,
    `${s} x`,
    s.padEnd(64, 'x'),
    s.padEnd(254, 'x'),
    `${s}/x`,
    `x/${s}`,
  ];

  /** Breaks one site of `body`; returns what it did. */
  const mutateSite = (body: Record<string, any>, site: Site): string | undefined => {
    const where = renderPath(site.path, site.mapKeys);
    const v = site.value;
    const r = rnd();
    const inArray = typeof site.path[site.path.length - 1] === 'number';
    if (r < 0.05) {
      const wrong =
        typeof v === 'string' ? 123 : typeof v === 'number' ? String(v) : typeof v === 'boolean' ? 'true' : Array.isArray(v) ? {} : 'x';
      setAt(body, site.path, wrong);
      return `set ${where} = ${brief(wrong)} (wrong JSON type)`;
    }
    if (r < 0.17) {
      removeAt(body, site.path);
      return `remove ${where}`;
    }
    if (site.map) {
      const m = v as Record<string, unknown>;
      const keys = Object.keys(m);
      const some = keys.length > 0 ? m[pick(keys)] : 'v';
      const q = rnd();
      if (q < 0.45) {
        const key = pick(BAD_KEYS);
        m[key] = some;
        return `add ${where}[${brief(key)}] = ${brief(some)}`;
      }
      if (q < 0.85 && keys.length > 0) {
        const key = pick(keys);
        const bad = pick(BAD_VALUES);
        m[key] = bad;
        return `set ${where}[${key}] = ${brief(bad)}`;
      }
      setAt(body, site.path, {});
      return `set ${where} = {}`;
    }
    if (Array.isArray(v)) {
      const q = rnd();
      if (q < 0.4 && v.length > 0) {
        const i = Math.floor(rnd() * v.length);
        v.push(clone(v[i]));
        return `duplicate ${where}[${i}]`;
      }
      if (q < 0.6) {
        setAt(body, site.path, []);
        return `set ${where} = []`;
      }
      const extra =
        v.length > 0 && typeof v[0] === 'string' ? pick(BAD_STRINGS) : v.length > 0 && typeof v[0] === 'number' ? pick(BAD_NUMBERS) : {};
      v.push(extra);
      return `append ${brief(extra)} to ${where}`;
    }
    if (isObject(v)) {
      if (rnd() < 0.5 || inArray) {
        setAt(body, site.path, {});
        return `set ${where} = {}`;
      }
      removeAt(body, site.path);
      return `remove ${where}`;
    }
    if (typeof v === 'string') {
      const bad = rnd() < 0.5 ? pick(derived(v).filter((d) => d !== v)) : pick(BAD_STRINGS);
      setAt(body, site.path, bad);
      return `set ${where} = ${brief(bad)}`;
    }
    if (typeof v === 'number') {
      const bad = rnd() < 0.7 ? pick(BAD_NUMBERS) : pick([v - 1, v + 1, -v, v * 1000]);
      setAt(body, site.path, bad);
      return `set ${where} = ${brief(bad)}`;
    }
    if (typeof v === 'boolean') {
      setAt(body, site.path, !v);
      return `set ${where} = ${!v}`;
    }
    return undefined;
  };

  /** Faults in ObjectMeta that every kind's validation shares. */
  const mutateMeta = (body: Record<string, any>, ns: string): string => {
    if (!isObject(body.metadata)) body.metadata = {};
    const m = body.metadata;
    switch (Math.floor(rnd() * 9)) {
      case 0:
      case 1: {
        m.name = pick(BAD_NAMES);
        return `set metadata.name = ${brief(m.name)}`;
      }
      case 2: {
        delete m.name;
        m.generateName = pick(['gen-', 'Bad_', 'x'.repeat(300), '-', 'a.']);
        return `remove metadata.name; set metadata.generateName = ${brief(m.generateName)}`;
      }
      case 3: {
        m.namespace = pick(['other', ns === 'default' ? 'kube-system' : 'default', 'Bad_NS']);
        return `set metadata.namespace = ${brief(m.namespace)}`;
      }
      case 4: {
        m.finalizers = [pick(['bad finalizer', 'kubernetes', 'example.com/f', 'Ex_/f', 'a/b/c', ''])];
        return `set metadata.finalizers = ${brief(m.finalizers)}`;
      }
      case 5: {
        m.ownerReferences = [
          pick([
            { apiVersion: 'v1', kind: 'Pod', name: '', uid: '' },
            { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1' },
            { apiVersion: 'v1', kind: '', name: 'p', uid: 'u1' },
            { apiVersion: '', kind: 'Pod', name: 'p', uid: 'u1', controller: true },
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u1', controller: true, blockOwnerDeletion: true },
          ]),
        ];
        if (rnd() < 0.3) m.ownerReferences.push({ ...m.ownerReferences[0], uid: 'u2', controller: true });
        return `set metadata.ownerReferences = ${brief(m.ownerReferences)}`;
      }
      case 6: {
        const key = pick(['resourceVersion', 'uid', 'generation', 'deletionGracePeriodSeconds', 'selfLink', 'creationTimestamp']);
        m[key] = key === 'generation' || key === 'deletionGracePeriodSeconds' ? pick([-1, 5]) : pick(['x', '123', '2026-01-01T00:00:00Z']);
        return `set metadata.${key} = ${brief(m[key])}`;
      }
      case 7: {
        m.annotations = { ...(m.annotations ?? {}), big: 'z'.repeat(pick([262_144, 300_000])) };
        return `add metadata.annotations[big] = ${brief(m.annotations.big)}`;
      }
      default: {
        m.labels = { ...(m.labels ?? {}), [pick(BAD_KEYS)]: pick(['v', ...BAD_VALUES]) };
        return `set metadata.labels = ${brief(m.labels)}`;
      }
    }
  };

  const out: Mutant[] = [];
  for (let i = 0; i < count; i++) {
    const seedIndex = Math.floor(rnd() * seeds.length);
    const s = seeds[seedIndex]!;
    const ns = namespaceOf(kind);
    const name = `${slug}-${seed % 1000}-${i}`;
    const original = clone(s.body(ns));
    original.metadata.name = name;
    const body = clone(original);
    const r = rnd();
    const op: Op = r < 0.7 ? 'create' : r < 0.85 ? 'put' : 'patch';
    const faults = rnd() < 0.55 ? 1 : rnd() < 0.65 ? 2 : 3;
    const mutations: string[] = [];
    // A fault can leave the object as it was (an empty map set to {}): then one more, so every mutant differs.
    const unchanged = () => JSON.stringify(body) === JSON.stringify(original);
    for (let f = 0; f < faults || (unchanged() && f < faults + 5); f++) {
      if (rnd() < 0.12) {
        mutations.push(mutateMeta(body, ns));
        continue;
      }
      const sites = collectSites(body);
      if (sites.length === 0) break;
      const site = pick(sites);
      const did = mutateSite(body, site);
      if (did) mutations.push(did);
    }
    out.push({ seed: s, seedIndex: seeds.indexOf(s), op, name, original, body, mutations });
  }
  return out;
}

/** The JSON merge patch (RFC 7386) that turns `from` into `to`. */
export function mergePatch(from: unknown, to: unknown): unknown {
  if (!isObject(from) || !isObject(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    if (!(key in from)) patch[key] = value;
    else if (JSON.stringify(from[key]) !== JSON.stringify(value)) {
      patch[key] = isObject(from[key]) && isObject(value) ? mergePatch(from[key], value) : value;
    }
  }
  return patch;
}

/** The seeds' namespaces (one per kind, so quota, limit ranges and names never meet). */
export function mutationNamespaces(): string[] {
  return [...new Set(SEEDS.filter((s) => s.namespaced).map((s) => namespaceOf(s.kind)))];
}
