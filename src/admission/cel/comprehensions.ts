// cel-go's two-variable comprehensions (ext.TwoVarComprehensions, in kube's environment since 1.32): all, exists and
// existsOne with an index (lists) or key (maps) and a value, transformList, transformMap and transformMapEntry.
// @marcbachmann/cel-js has the one-variable macros only; these are macros on its extension API.
import type { Environment } from '@marcbachmann/cel-js';

type Json = any;
type Fn = (...args: any[]) => unknown;

interface Macro {
  receiver: Json;
  v1: string;
  v2: string;
  filter?: Json;
  body: Json;
  t1?: Json;
  t2?: Json;
}

function identifier(node: Json, what: string): string {
  if (node?.op === 'id') return node.args as string;
  throw new Error(`${what}: invalid iteration variable`);
}

/** The pairs a comprehension walks: (index, element) of a list, (key, value) of a map. */
function pairs(coll: unknown): [unknown, unknown][] {
  if (Array.isArray(coll)) {
    const out: [unknown, unknown][] = [];
    for (let i = 0; i < coll.length; i++) out.push([BigInt(i), coll[i]]);
    return out;
  }
  if (coll instanceof Map) return [...coll.entries()];
  if (coll !== null && typeof coll === 'object') return Object.entries(coll);
  throw new Error(`expression of type '${typeof coll}' cannot be range of a comprehension (must be list, map, or dynamic)`);
}

/** Type-checks the body with both variables declared: int and element for lists, key and value for maps. */
function typeCheck(returns: string) {
  return (checker: Json, m: Macro, ctx: Json) => {
    const t = checker.check(m.receiver, ctx);
    const dyn = checker.getType('dyn');
    if (t.kind === 'list') {
      m.t1 = checker.getType('int');
      m.t2 = t.valueType;
    } else if (t.kind === 'map') {
      m.t1 = t.keyType;
      m.t2 = t.valueType;
    } else {
      m.t1 = dyn;
      m.t2 = dyn;
    }
    const inner = ctx.forkWithVariable(m.v1, m.t1).forkWithVariable(m.v2, m.t2);
    if (m.filter) checker.check(m.filter, inner);
    checker.check(m.body, inner);
    return checker.getType(returns);
  };
}

/** Runs `step` per pair with both variables bound; `step` returns true to stop early. */
async function each(
  ev: Json,
  m: Macro,
  ctx: Json,
  step: (k: unknown, v: unknown, run: (node: Json) => Promise<unknown>) => Promise<boolean>,
) {
  const coll = await ev.run(m.receiver, ctx);
  const dyn = { matchesValueType: () => true };
  for (const [k, v] of pairs(coll)) {
    const inner = ctx
      .forkWithVariable(m.v1, m.t1 ?? dyn)
      .setIterValue(k, ev)
      .forkWithVariable(m.v2, m.t2 ?? dyn)
      .setIterValue(v, ev);
    if (await step(k, v, async (node) => ev.run(node, inner))) return;
  }
}

function quantifier(name: string, init: boolean) {
  return ({ args, receiver }: { args: Json[]; receiver: Json }) => ({
    receiver,
    v1: identifier(args[0], name),
    v2: identifier(args[1], name),
    body: args[2],
    typeCheck: typeCheck('bool'),
    async evaluate(ev: Json, m: Macro, ctx: Json) {
      // CEL's logical semantics: a decisive result wins over an error met on the way.
      let error: unknown;
      let result = init;
      await each(ev, m, ctx, async (_k, _v, run) => {
        try {
          if ((await run(m.body)) === !init) {
            result = !init;
            return true;
          }
        } catch (e) {
          error ??= e;
        }
        return false;
      });
      if (result === init && error !== undefined) throw error;
      return result;
    },
  });
}

function existsOne({ args, receiver }: { args: Json[]; receiver: Json }) {
  return {
    receiver,
    v1: identifier(args[0], 'existsOne'),
    v2: identifier(args[1], 'existsOne'),
    body: args[2],
    typeCheck: typeCheck('bool'),
    async evaluate(ev: Json, m: Macro, ctx: Json) {
      let count = 0;
      await each(ev, m, ctx, async (_k, _v, run) => {
        if ((await run(m.body)) === true) count++;
        return false;
      });
      return count === 1;
    },
  };
}

function transformList(withFilter: boolean) {
  return ({ args, receiver }: { args: Json[]; receiver: Json }) => ({
    receiver,
    v1: identifier(args[0], 'transformList'),
    v2: identifier(args[1], 'transformList'),
    filter: withFilter ? args[2] : undefined,
    body: withFilter ? args[3] : args[2],
    typeCheck: typeCheck('list'),
    async evaluate(ev: Json, m: Macro, ctx: Json) {
      const out: unknown[] = [];
      await each(ev, m, ctx, async (_k, _v, run) => {
        if (!m.filter || (await run(m.filter)) === true) out.push(await run(m.body));
        return false;
      });
      return out;
    },
  });
}

function transformMap(withFilter: boolean, entries: boolean) {
  const name = entries ? 'transformMapEntry' : 'transformMap';
  return ({ args, receiver }: { args: Json[]; receiver: Json }) => ({
    receiver,
    v1: identifier(args[0], name),
    v2: identifier(args[1], name),
    filter: withFilter ? args[2] : undefined,
    body: withFilter ? args[3] : args[2],
    typeCheck: typeCheck('map'),
    async evaluate(ev: Json, m: Macro, ctx: Json) {
      const out: Record<string, unknown> = {};
      await each(ev, m, ctx, async (k, _v, run) => {
        if (m.filter && (await run(m.filter)) !== true) return false;
        const value = await run(m.body);
        if (!entries) out[String(k)] = value;
        else {
          const entry = value instanceof Map ? Object.fromEntries(value) : (value as Record<string, unknown>);
          for (const [ek, ev2] of Object.entries(entry ?? {})) {
            if (ek in out) throw new Error(`insert failed: key ${ek} already exists`);
            out[ek] = ev2;
          }
        }
        return false;
      });
      return out;
    },
  });
}

export function registerTwoVarComprehensions(env: Environment): void {
  for (const receiver of ['list', 'map']) {
    env.registerFunction(`${receiver}.all(ast, ast, ast): bool`, quantifier('all', true) as Fn);
    env.registerFunction(`${receiver}.exists(ast, ast, ast): bool`, quantifier('exists', false) as Fn);
    env.registerFunction(`${receiver}.existsOne(ast, ast, ast): bool`, existsOne as Fn);
    env.registerFunction(`${receiver}.exists_one(ast, ast, ast): bool`, existsOne as Fn);
    env.registerFunction(`${receiver}.transformList(ast, ast, ast): list`, transformList(false) as Fn);
    env.registerFunction(`${receiver}.transformList(ast, ast, ast, ast): list`, transformList(true) as Fn);
    env.registerFunction(`${receiver}.transformMap(ast, ast, ast): map`, transformMap(false, false) as Fn);
    env.registerFunction(`${receiver}.transformMap(ast, ast, ast, ast): map`, transformMap(true, false) as Fn);
    env.registerFunction(`${receiver}.transformMapEntry(ast, ast, ast): map`, transformMap(false, true) as Fn);
    env.registerFunction(`${receiver}.transformMapEntry(ast, ast, ast, ast): map`, transformMap(true, true) as Fn);
  }
}
