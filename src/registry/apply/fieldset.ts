// Sets of field paths, as structured-merge-diff's fieldpath.Set: a trie keyed by serialized path elements
// (`f:<name>`, `k:<json>`, `v:<json>`, `i:<index>`). A node can be a member (the path itself is in the set)
// and have children at the same time. Sets are immutable once built by the walkers; operations return new
// sets and never leave empty non-member nodes behind, so "has a child" means "owns something below".

export interface FieldSet {
  member: boolean;
  children: Map<string, FieldSet> | undefined;
}

export function emptySet(): FieldSet {
  return { member: false, children: undefined };
}

export function isEmpty(s: FieldSet | undefined): boolean {
  return s === undefined || (!s.member && (s.children === undefined || s.children.size === 0));
}

export function hasChildren(s: FieldSet | undefined): boolean {
  return s !== undefined && s.children !== undefined && s.children.size > 0;
}

/** Inserts a path (a list of serialized elements) as a member; the empty path is never a member. */
export function insert(root: FieldSet, path: readonly string[]): void {
  if (path.length === 0) return;
  let node = root;
  for (const el of path) {
    node.children ??= new Map();
    let child = node.children.get(el);
    if (!child) {
      child = emptySet();
      node.children.set(el, child);
    }
    node = child;
  }
  node.member = true;
}

/**
 * Builds one set from paths inserted in walk order. The walkers insert paths that share long prefixes one after
 * another (every field of a container, then the next container), so the nodes of the last path are kept and a new
 * path descends from the deepest shared one instead of from the root. Nodes are only ever added while building,
 * so the kept ones stay valid.
 */
export class SetBuilder {
  readonly set: FieldSet = emptySet();
  // The last inserted path's elements and nodes; entries past `kept` are stale and overwritten.
  private readonly elements: string[] = [];
  private readonly nodes: FieldSet[] = [];
  private kept = 0;

  insert(path: readonly string[]): void {
    const n = path.length;
    if (n === 0) return;
    const elements = this.elements;
    const nodes = this.nodes;
    let depth = 0;
    const shared = n < this.kept ? n : this.kept;
    while (depth < shared && elements[depth] === path[depth]) depth++;
    let node = depth === 0 ? this.set : nodes[depth - 1];
    for (; depth < n; depth++) {
      const el = path[depth];
      node.children ??= new Map();
      let next = node.children.get(el);
      if (!next) {
        next = emptySet();
        node.children.set(el, next);
      }
      node = next;
      elements[depth] = el;
      nodes[depth] = node;
    }
    this.kept = n;
    node.member = true;
  }
}

export function child(s: FieldSet | undefined, el: string): FieldSet | undefined {
  return s?.children?.get(el);
}

export function clone(s: FieldSet): FieldSet {
  const out: FieldSet = { member: s.member, children: undefined };
  if (s.children) {
    out.children = new Map();
    for (const [k, v] of s.children) out.children.set(k, clone(v));
  }
  return out;
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  if (isEmpty(b)) return a;
  if (isEmpty(a)) return b;
  const out: FieldSet = { member: a.member || b.member, children: undefined };
  if (a.children || b.children) {
    out.children = new Map(a.children);
    for (const [k, v] of b.children ?? []) {
      const prev = out.children.get(k);
      out.children.set(k, prev ? union(prev, v) : v);
    }
  }
  return out;
}

/** Members of `a` that are not members of `b` (b's members do not remove a's descendants). */
export function difference(a: FieldSet, b: FieldSet | undefined): FieldSet {
  if (isEmpty(b) || isEmpty(a)) return a;
  const out: FieldSet = { member: a.member && !b!.member, children: undefined };
  for (const [k, v] of a.children ?? []) {
    const other = b!.children?.get(k);
    const d = other ? difference(v, other) : v;
    if (!isEmpty(d)) (out.children ??= new Map()).set(k, d);
  }
  return out;
}

/** Members of `a` that are, or lie under, a member of `b` are dropped (fieldpath.Set.RecursiveDifference). */
export function recursiveDifference(a: FieldSet, b: FieldSet | undefined): FieldSet {
  if (isEmpty(b) || isEmpty(a)) return a;
  const out: FieldSet = { member: a.member && !b!.member, children: undefined };
  for (const [k, v] of a.children ?? []) {
    const other = b!.children?.get(k);
    if (other?.member) continue;
    const d = other ? recursiveDifference(v, other) : v;
    if (!isEmpty(d)) (out.children ??= new Map()).set(k, d);
  }
  return out;
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && b.member, children: undefined };
  if (!a.children || !b.children) return out;
  const [small, large] = a.children.size <= b.children.size ? [a.children, b.children] : [b.children, a.children];
  for (const [k, v] of small) {
    const other = large.get(k);
    if (!other) continue;
    const i = intersection(v, other);
    if (!isEmpty(i)) (out.children ??= new Map()).set(k, i);
  }
  return out;
}

export function equalSets(a: FieldSet | undefined, b: FieldSet | undefined): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (isEmpty(a) || isEmpty(b)) return false;
  if (a!.member !== b!.member) return false;
  const ac = a!.children ?? new Map<string, FieldSet>();
  const bc = b!.children ?? new Map<string, FieldSet>();
  let na = 0;
  for (const [k, v] of ac) {
    if (isEmpty(v)) continue;
    na++;
    if (!equalSets(v, bc.get(k))) return false;
  }
  let nb = 0;
  for (const v of bc.values()) if (!isEmpty(v)) nb++;
  return na === nb;
}

/** Every member path, in the set's canonical order. */
export function paths(s: FieldSet): string[][] {
  const out: string[][] = [];
  const walk = (node: FieldSet, prefix: string[]): void => {
    for (const k of sortedElements(node)) {
      const c = node.children!.get(k)!;
      const p = [...prefix, k];
      if (c.member) out.push(p);
      walk(c, p);
    }
  };
  walk(s, []);
  return out;
}

/** Child element keys in structured-merge-diff's order: fields by name, then keys, then values, then indexes. */
export function sortedElements(s: FieldSet): string[] {
  if (!s.children) return [];
  const keys: string[] = [];
  let onlyFields = true;
  for (const k of s.children.keys()) {
    keys.push(k);
    if (k.charCodeAt(0) !== F) onlyFields = false;
  }
  if (keys.length < 2) return keys;
  if (!onlyFields) return keys.sort(compareElements);
  // Most nodes hold a few fields, which order as plain strings: an insertion sort beats sort()'s setup there.
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

const F = 'f'.charCodeAt(0);

const KIND_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

export function compareElements(a: string, b: string): number {
  const ka = KIND_ORDER[a[0]] ?? 4;
  const kb = KIND_ORDER[b[0]] ?? 4;
  if (ka !== kb) return ka - kb;
  switch (a[0]) {
    case 'f':
      return a < b ? -1 : a > b ? 1 : 0;
    case 'i':
      return Number(a.slice(2)) - Number(b.slice(2));
    case 'v':
      return compareValues(parseJSON(a.slice(2)), parseJSON(b.slice(2)));
    case 'k':
      return compareKeyObjects(parseJSON(a.slice(2)), parseJSON(b.slice(2)));
    default:
      return a < b ? -1 : a > b ? 1 : 0;
  }
}

// Element keys repeat across writes (the same containers, ports, finalizers): parsed forms are memoized.
const parsed = new Map<string, unknown>();
const PARSED_CACHE_LIMIT = 10_000;

function parseJSON(text: string): unknown {
  const hit = parsed.get(text);
  if (hit !== undefined || parsed.has(text)) return hit;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  if (parsed.size >= PARSED_CACHE_LIMIT) parsed.clear();
  parsed.set(text, value);
  return value;
}

function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (typeof v === 'boolean') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** value.Compare: null, then numbers, strings, booleans, lists, maps. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
      return (a as number) - (b as number);
    case 2:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 3:
      return Number(a) - Number(b);
    case 4: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 5:
      return compareKeyObjects(a, b);
    default:
      return 0;
  }
}

function compareKeyObjects(a: unknown, b: unknown): number {
  const oa = (a ?? {}) as Record<string, unknown>;
  const ob = (b ?? {}) as Record<string, unknown>;
  const ka = Object.keys(oa).sort();
  const kb = Object.keys(ob).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    const c = compareValues(oa[ka[i]], ob[kb[i]]);
    if (c !== 0) return c;
  }
  return ka.length - kb.length;
}

/**
 * A path in structured-merge-diff's printed form, as conflict messages show it: `.spec.replicas`,
 * `[name="nginx"]`, `[containerPort=80,protocol="TCP"]`, `[="a"]`, `[3]`.
 */
export function pathString(path: readonly string[]): string {
  let out = '';
  for (const el of path) {
    const body = el.slice(2);
    switch (el[0]) {
      case 'f':
        out += `.${body}`;
        break;
      case 'k': {
        const key = parseJSON(body) as Record<string, unknown>;
        const parts = Object.keys(key)
          .sort()
          .map((k) => `${k}=${printValue(key[k])}`);
        out += `[${parts.join(',')}]`;
        break;
      }
      case 'v':
        out += `[=${printValue(parseJSON(body))}]`;
        break;
      case 'i':
        out += `[${body}]`;
        break;
      default:
        out += el;
    }
  }
  return out;
}

/** Values inside printed paths: Go-quoted strings, bare numbers and booleans, JSON for the rest. */
function printValue(v: unknown): string {
  return JSON.stringify(v);
}
