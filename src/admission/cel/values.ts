// JSON values as CEL sees them (k8s.io/apiserver/pkg/cel/common/values.go, UnstructuredToVal): an object's integers
// are CEL ints (bigint here), its other numbers doubles, maps and lists as they are. And back: what an expression
// returned, as JSON (ints as numbers when they fit).

/** What reading a list element costs against an expression's budget (see CostBudget). */
export interface Spender {
  spend(n: number): void;
}

/**
 * A JSON value (an object, its params, the request) turned into the values @marcbachmann/cel-js computes on. With a
 * budget, every list reads its elements through a proxy that charges each read, so comprehensions over the input
 * (the only way an expression's work grows with it) are bounded.
 */
export function toCel(value: unknown, budget?: Spender): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) {
    const list = value.map((v) => toCel(v, budget));
    return budget ? new Proxy(list, chargedReads(budget)) : list;
  }
  if (value !== null && typeof value === 'object') {
    if (value instanceof Uint8Array || value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCel(v, budget);
    return out;
  }
  return value;
}

function chargedReads(budget: Spender): ProxyHandler<unknown[]> {
  return {
    get(target, prop, receiver) {
      if (typeof prop === 'string') {
        const c = prop.charCodeAt(0);
        if (c >= 48 && c <= 57) budget.spend(1);
      }
      return Reflect.get(target, prop, receiver);
    },
  };
}

/** A CEL result as JSON: bigints as numbers, Maps as objects, lists element by element. */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}

/** The CEL type name of a runtime value, as cel-go prints it in messages ("int", "string", "map", ...). */
export function celTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null_type';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'google.protobuf.Timestamp';
  if (typeof value === 'object' && (value instanceof Map || Object.getPrototypeOf(value) === Object.prototype)) return 'map';
  return (value as object).constructor?.name ?? 'dyn';
}
