// Kube's CEL for admission (k8s.io/apiserver/pkg/admission/plugin/cel: compile.go, composition.go, activation.go)
// on @marcbachmann/cel-js: compile an expression against the variables kube declares (object, oldObject, request,
// namespaceObject, params, authorizer, variables) with type checking, refusing it with cel-go's issue text; evaluate
// it against one request. ValidatingAdmissionPolicy, its registry validation and webhook matchConditions share it.
import { Environment } from '@marcbachmann/cel-js';
import type { UserInfo } from '../../apimachinery/user.js';
import { CelAuthorizer, registerAuthz, requestResourceCheck, type CelAuthorize } from './authz.js';
import { registerTwoVarComprehensions } from './comprehensions.js';
import { celGoTypeName, formatIssue, undeclaredIssue } from './errors.js';
import { registerKubernetesLibraries } from './library.js';
import { toCel } from './values.js';

export type { CelAuthorize, CelAuthorizationAttributes, CelAuthorizationDecision } from './authz.js';
export { fromCel, toCel } from './values.js';

/** Which optional variables an expression may use (kube's OptionalVariableDeclarations). */
export interface Declarations {
  /** `params` (a policy with a paramKind; webhook matchConditions never). */
  params?: boolean;
  /** `authorizer` and `authorizer.requestResource`. */
  authorizer?: boolean;
  /** Composition: the policy's variables compiled so far (`variables.<name>`). */
  variables?: Composition;
}

/** Why an expression was refused: kube's cel.Error (Invalid → field.Invalid, Required, Internal). */
export interface CompileError {
  type: 'Invalid' | 'Required' | 'Internal';
  /** kube's detail, e.g. `compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo\n | ^`. */
  detail: string;
}

/** What a request offers an expression; JSON as stored, converted to CEL values here. */
export interface Activation {
  object?: unknown;
  oldObject?: unknown;
  /** The AdmissionRequest (see admissionRequest()). */
  request?: unknown;
  params?: unknown;
  namespaceObject?: unknown;
  /** For `authorizer`: how to check, for whom, and the request's own resource. */
  authorizer?: {
    authorize: CelAuthorize;
    user: UserInfo;
    requestResource: { group: string; version: string; resource: string; subresource: string; namespace: string; name: string };
  };
}

/** An expression that compiled; evaluate it once per request. */
export interface Program {
  readonly expression: string;
  /** cel-go's name of its type (bool, string, dyn, list(int), ...). */
  readonly outputType: string;
  /** Throws CelEvaluationError (kube: "expression '<e>' resulted in error: <detail>"). */
  evaluate(activation: PreparedActivation): Promise<unknown>;
}

/** A failed evaluation: detail is cel-go's runtime error text. */
export class CelEvaluationError extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

/** The request's CEL variables, converted once and shared by every expression of a policy. */
export interface PreparedActivation {
  readonly context: Record<string, unknown>;
  /** Charged by reads of the input's list elements; reset before each expression. */
  readonly budget: CostBudget;
}

/** cel-go's error for an expression over its per-call cost limit (kube's celconfig.PerCallLimit). */
export const COST_EXCEEDED = 'operation cancelled: actual cost limit exceeded';

/**
 * A cost guard in place of cel-go's cost tracking: each expression may read at most `limit` list elements of the
 * input (kube's PerCallLimit is 1,000,000 cost units, a unit being about one element visited), which bounds nested
 * comprehensions over large lists. cel-js evaluates synchronously, so the guard counts work rather than time.
 */
export class CostBudget {
  private remaining: number;
  constructor(readonly limit = 1_000_000) {
    this.remaining = limit;
  }
  reset(): void {
    this.remaining = this.limit;
  }
  spend(n: number): void {
    this.remaining -= n;
    if (this.remaining < 0) throw new CelEvaluationError(COST_EXCEEDED);
  }
}

// kube's AdmissionRequest declaration (compile.go BuildRequestType); every field is present at evaluation.
const GVK = { group: 'string', version: 'string', kind: 'string' };
const GVR = { group: 'string', version: 'string', resource: 'string' };
const REQUEST_SCHEMA = {
  kind: GVK,
  resource: GVR,
  subResource: 'string',
  requestKind: GVK,
  requestResource: GVR,
  requestSubResource: 'string',
  name: 'string',
  namespace: 'string',
  operation: 'string',
  userInfo: { username: 'string', uid: 'string', groups: 'list<string>', extra: 'map<string, list<string>>' },
  dryRun: 'bool',
  options: 'dyn',
};

/** Structural limits at parse time (cel-go has a cost estimator; these bound what cel-js will walk). */
const LIMITS = { maxAstNodes: 10_000, maxDepth: 100, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 };

let baseEnvironment: Environment | undefined;
/** The base environment: standard library, kube's libraries, the variables every expression has. Built once. */
function base(): Environment {
  if (!baseEnvironment) {
    const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true, limits: LIMITS });
    registerKubernetesLibraries(env);
    registerTwoVarComprehensions(env);
    registerAuthz(env);
    env.registerVariable('object', 'dyn');
    env.registerVariable('oldObject', 'dyn');
    env.registerVariable('namespaceObject', 'dyn');
    env.registerVariable({ name: 'request', schema: REQUEST_SCHEMA });
    baseEnvironment = env;
  }
  return baseEnvironment;
}

const environments = new Map<string, Environment>();
/**
 * The environment for a set of optional declarations (kube pre-builds one per combination). `lax` drops the
 * homogeneous literal check, from which cel-go exempts the argument list of string.format.
 */
function environmentFor(decls: Declarations, lax = false): Environment {
  const key = `${decls.params ? 'p' : ''}${decls.authorizer ? 'a' : ''}${lax ? 'l' : ''}`;
  let env = environments.get(key);
  if (!env) {
    env = base().clone(lax ? { homogeneousAggregateLiterals: false } : undefined);
    if (decls.params) env.registerVariable('params', 'dyn');
    if (decls.authorizer) env.registerVariable('authorizer', 'kubernetes.authorization.Authorizer');
    environments.set(key, env);
  }
  return env;
}

let functionNames: Set<string> | undefined;
function isFunction(name: string): boolean {
  functionNames ??= new Set(
    base()
      .getDefinitions()
      .functions.map((f) => f.name),
  );
  return functionNames.has(name) || ['has', 'all', 'exists', 'exists_one', 'map', 'filter', 'bind'].includes(name);
}

type Checked = { ok: true; env: Environment; outputType: string } | { ok: false; error: CompileError };

/**
 * A mixed-type literal in an expression that calls format: cel-go's ValidateHomogeneousAggregateLiterals exempts
 * format's argument list (cel-js cannot tell which literal it is, so the whole expression is checked without it).
 */
function isFormatLiteralMismatch(expression: string, error: unknown): boolean {
  if (!expression.includes('.format(')) return false;
  const summary = String((error as { summary?: string; message?: string })?.summary ?? (error as Error)?.message ?? '');
  return /expected type '[^']*' but found '[^']*'/.test(summary.split('\n\n')[0]);
}

function check(expression: string, decls: Declarations, lax = false): Checked {
  const env = decls.variables ? decls.variables.environment(decls, lax) : environmentFor(decls, lax);
  // cel-js has cel.bind built in; kube's environment has no ext.Bindings, so `cel` is undeclared there.
  const bind = /\bcel\s*\.\s*bind\s*\(/.exec(expression);
  if (bind)
    return { ok: false, error: { type: 'Invalid', detail: `compilation failed: ${undeclaredIssue(expression, 'cel', bind.index)}` } };
  let result: ReturnType<Environment['check']>;
  try {
    result = env.check(expression);
  } catch (e) {
    // Parse errors throw; cel-js's limits too.
    return {
      ok: false,
      error: { type: 'Invalid', detail: `compilation failed: ${formatIssue(expression, e as never, true, isFunction)}` },
    };
  }
  if (!result.valid) {
    if (!lax && isFormatLiteralMismatch(expression, result.error)) return check(expression, decls, true);
    const parse = result.error?.name === 'ParseError';
    return {
      ok: false,
      error: { type: 'Invalid', detail: `compilation failed: ${formatIssue(expression, result.error as never, parse, isFunction)}` },
    };
  }
  return { ok: true, env, outputType: celGoTypeName(String(result.type)) };
}

/**
 * compile: the expression type-checked against the declarations, and its type one of `returnTypes` (cel-go names,
 * e.g. ['bool'] for a validation, ['string'] for a messageExpression, ['string', 'null_type'] for an audit
 * annotation; none: any type), or kube's error.
 */
export function compile(expression: string, decls: Declarations = {}, returnTypes: readonly string[] = []): Program | CompileError {
  const checked = check(expression, decls);
  if (!checked.ok) return checked.error;
  const { env, outputType } = checked;
  if (returnTypes.length > 0 && !returnTypes.includes(outputType)) {
    const detail =
      returnTypes.length === 1
        ? `must evaluate to ${returnTypes[0]} but got ${outputType}`
        : `must evaluate to one of [${returnTypes.join(' ')}] but got ${outputType}`;
    return { type: 'Invalid', detail };
  }
  const run = env.parse(expression);
  return {
    expression,
    outputType,
    async evaluate(activation) {
      activation.budget.reset();
      try {
        return await run(activation.context);
      } catch (e) {
        throw new CelEvaluationError(runtimeDetail(e));
      }
    },
  };
}

export function isCompileError(r: Program | CompileError): r is CompileError {
  return 'detail' in r;
}

/** cel-go's wording of cel-js's runtime errors ("no such key: foo"). */
function runtimeDetail(e: unknown): string {
  if (e instanceof CelEvaluationError) return e.detail;
  const err = e as { summary?: string; message?: string };
  const summary = err.summary ?? String(err.message ?? e).split('\n\n')[0];
  const m = /^No such key: (.+)$/.exec(summary);
  if (m) return `no such key: ${m[1]}`;
  return summary;
}

/** The variables of a request, converted once for all of a policy's expressions (composed variables evaluated). */
export async function prepare(activation: Activation, variables?: Composition, budget = new CostBudget()): Promise<PreparedActivation> {
  const context: Record<string, unknown> = {
    object: toCel(activation.object ?? null, budget),
    oldObject: toCel(activation.oldObject ?? null, budget),
    namespaceObject: toCel(activation.namespaceObject ?? null, budget),
    request: toCel(activation.request ?? {}),
  };
  if (activation.params !== undefined) context.params = toCel(activation.params, budget);
  if (activation.authorizer) {
    const { authorize, user, requestResource } = activation.authorizer;
    const authorizer = new CelAuthorizer(authorize, user);
    (authorizer as { requestResource?: unknown }).requestResource = requestResourceCheck(authorizer, requestResource);
    context.authorizer = authorizer;
  }
  const prepared = { context, budget };
  if (variables) await variables.values(prepared);
  return prepared;
}

/** The AdmissionRequest kube gives CEL (CreateAdmissionRequest), from a request's attributes. */
export function admissionRequest(a: {
  group: string;
  version: string;
  kind: string;
  resource: string;
  subresource: string;
  name: string;
  namespace: string;
  operation: string;
  user?: UserInfo;
  dryRun: boolean;
  options?: unknown;
}): Record<string, unknown> {
  const kind = { group: a.group, version: a.version, kind: a.kind };
  const resource = { group: a.group, version: a.version, resource: a.resource };
  return {
    kind,
    resource,
    subResource: a.subresource,
    requestKind: kind,
    requestResource: resource,
    requestSubResource: a.subresource,
    name: a.name,
    namespace: a.namespace,
    operation: a.operation,
    userInfo: {
      username: a.user?.name ?? '',
      uid: a.user?.uid ?? '',
      groups: a.user?.groups ?? [],
      extra: a.user?.extra ?? {},
    },
    dryRun: a.dryRun,
    options: a.options ?? null,
  };
}

interface CompiledVariable {
  name: string;
  program?: Program;
  error?: string;
  type: string;
}

/**
 * Variable composition (composition.go): each variable compiled with the earlier ones in scope as
 * `variables.<name>` of the type its expression has; values are computed on first use, once per request.
 */
export class Composition {
  private readonly compiled: CompiledVariable[] = [];
  private env?: Environment;
  private envKey = '';

  /** Compiles the next variable; its error, if any (it is still declared, as dyn). */
  add(name: string, expression: string, decls: Omit<Declarations, 'variables'>): CompileError | undefined {
    const r = compile(expression, { ...decls, variables: this });
    if (isCompileError(r)) {
      this.compiled.push({ name, error: r.detail, type: 'dyn' });
      this.env = undefined;
      return r;
    }
    this.compiled.push({ name, program: r, type: celJsType(r.outputType) });
    this.env = undefined;
    return undefined;
  }

  /** The environment with `variables` declared as a type with one field per variable so far. */
  environment(decls: Declarations, lax = false): Environment {
    const key = `${decls.params ? 'p' : ''}${decls.authorizer ? 'a' : ''}${lax ? 'l' : ''}`;
    if (this.env && this.envKey === key) return this.env;
    const env = environmentFor({ params: decls.params, authorizer: decls.authorizer }, lax).clone();
    const fields: Record<string, string> = {};
    for (const v of this.compiled) fields[v.name] = v.type;
    env.registerType('kubernetes.variables', { ctor: VariablesValue, fields });
    env.registerVariable('variables', 'kubernetes.variables');
    this.env = env;
    this.envKey = key;
    return env;
  }

  /**
   * The `variables` value of one request: each variable evaluated in order (a later one may read the earlier ones);
   * an error surfaces only when an expression reads the variable, as in kube's lazy evaluation.
   */
  async values(activation: PreparedActivation): Promise<VariablesValue> {
    const out = new VariablesValue();
    activation.context.variables = out;
    for (const v of this.compiled) {
      let result: { value?: unknown; error?: string };
      if (v.error !== undefined || !v.program) result = { error: `composited variable "${v.name}" fails to compile: ${v.error}` };
      else {
        try {
          result = { value: await v.program.evaluate(activation) };
        } catch (e) {
          result = { error: `composited variable "${v.name}" fails to evaluate: ${(e as CelEvaluationError).detail ?? String(e)}` };
        }
      }
      Object.defineProperty(out, v.name, {
        enumerable: true,
        get: () => {
          if (result.error !== undefined) throw new CelEvaluationError(result.error);
          return result.value;
        },
      });
    }
    return out;
  }
}

/** The value of `variables` in one request. */
export class VariablesValue {}

/** cel-go's type name back to a cel-js type string for declaring a variable; anything unusual is dyn. */
function celJsType(t: string): string {
  const s = t.replace(/\(/g, '<').replace(/\)/g, '>');
  if (s === 'null_type') return 'dyn';
  try {
    new Environment().registerVariable('x', s);
    return s;
  } catch {
    return 'dyn';
  }
}
