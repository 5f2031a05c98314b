// A webhook's matchConditions as CEL (k8s.io/apiserver/pkg/admission/plugin/webhook/matchconditions/matcher.go, and
// the compile step of pkg/admission/plugin/cel/compile.go as pkg/apis/admissionregistration/validation calls it).
// Every use of CEL by the webhook plugins and their configuration's validation is behind this one module, so the
// shared Kubernetes CEL environment (its library functions, typed `request`, cost limits) can replace the small one
// here without touching callers.
//
// Variables: `object`, `oldObject` (null when absent) and `request` (the AdmissionRequest without its objects), all
// dynamically typed. `authorizer` and `authorizer.requestResource` are not offered yet: an expression naming them
// is refused at create as an unknown variable.
import { Environment } from '@marcbachmann/cel-js';
import type { FieldError } from '../../apimachinery/errors.js';
import { fieldInvalid, fieldRequired } from '../../apimachinery/validation.js';

export interface MatchCondition {
  name: string;
  expression: string;
}

/** What the conditions see of one request. */
export interface ConditionInput {
  object?: unknown;
  oldObject?: unknown;
  request: unknown;
}

/** The outcome of a webhook's conditions for one request (matcher.go's MatchResult). */
export interface MatchResult {
  matches: boolean;
  /** Evaluation errors under failurePolicy Fail; the request is then refused. */
  error?: string;
  /** The condition that evaluated to false. */
  failedConditionName?: string;
}

export type ConditionEvaluator = (input: ConditionInput) => MatchResult;

const environment = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false })
  .registerVariable('object', 'dyn')
  .registerVariable('oldObject', 'dyn')
  .registerVariable('request', 'dyn');

type Program = (context: Record<string, unknown>) => unknown;

/** compile.go's CompileCELExpression for a bool-typed expression: the program, or the reason it does not compile. */
function compile(expression: string): { program: Program } | { error: string } {
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = environment.parse(expression);
  } catch (e) {
    return { error: `compilation failed: ${summary(e)}` };
  }
  const checked = parsed.check();
  if (!checked.valid) return { error: `compilation failed: ${summary(checked.error)}` };
  if (checked.type !== 'bool' && checked.type !== 'dyn') return { error: `must evaluate to bool but got ${checked.type}` };
  return { program: parsed as unknown as Program };
}

function summary(e: unknown): string {
  const err = e as { summary?: string; message?: string } | undefined;
  return err?.summary ?? err?.message?.split('\n')[0] ?? String(e);
}

/**
 * validateMatchConditions' checks of each condition's expression (required, compiles to bool) at `fieldPath[i]`;
 * names, their uniqueness and the count are the caller's. No errors: the evaluator.
 */
export function compileMatchConditions(
  conditions: readonly MatchCondition[],
  fieldPath = 'matchConditions',
  failurePolicy: 'Fail' | 'Ignore' = 'Fail',
): ConditionEvaluator | FieldError[] {
  const errors: FieldError[] = [];
  const programs: Array<{ name: string; expression: string; program: Program }> = [];
  conditions.forEach((c, i) => {
    const expression = String(c?.expression ?? '').trim();
    const path = `${fieldPath}[${i}].expression`;
    if (expression === '') {
      errors.push(fieldRequired(path));
      return;
    }
    const compiled = compile(expression);
    if ('error' in compiled) errors.push(fieldInvalid(path, expression, compiled.error));
    else programs.push({ name: String(c.name ?? ''), expression, program: compiled.program });
  });
  if (errors.length > 0) return errors;
  return (input) => evaluate(programs, input, failurePolicy);
}

/** matcher.Match: the first false condition excludes; otherwise errors decide by failure policy. */
function evaluate(
  programs: ReadonlyArray<{ name: string; expression: string; program: Program }>,
  input: ConditionInput,
  failurePolicy: 'Fail' | 'Ignore',
): MatchResult {
  if (programs.length === 0) return { matches: true };
  const context = { object: toCEL(input.object ?? null), oldObject: toCEL(input.oldObject ?? null), request: toCEL(input.request) };
  const errors: string[] = [];
  for (const { name, expression, program } of programs) {
    let result: unknown;
    try {
      result = program(context);
    } catch (e) {
      // cel-go words its runtime errors in lower case ("no such key: x").
      const message = summary(e);
      errors.push(`expression '${expression}' resulted in error: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
      continue;
    }
    if (result === false) return { matches: false, failedConditionName: name };
    if (result !== true) errors.push(`expression returned ${typeof result}, not bool`);
  }
  if (errors.length === 0) return { matches: true };
  if (failurePolicy === 'Ignore') return { matches: false };
  // utilerrors.NewAggregate(...).Error(): one message as is, several in brackets.
  return { matches: false, error: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` };
}

/** JSON as CEL sees a decoded object: whole numbers are ints (BigInt), the rest doubles. */
function toCEL(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCEL);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCEL(v);
    return out;
  }
  return value;
}
