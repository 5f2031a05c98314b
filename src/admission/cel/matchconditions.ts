// matchConditions as kube evaluates them for admission webhooks and policies alike
// (k8s.io/apiserver/pkg/admission/plugin/webhook/matchconditions/matcher.go): every condition a bool expression;
// any false skips the webhook or policy; errors without a false are the caller's failurePolicy to apply.
import { compile, isCompileError, CelEvaluationError, type Declarations, type PreparedActivation, type Program } from './index.js';

export interface CompiledMatchCondition {
  name: string;
  expression: string;
  program?: Program;
  /** kube's "compilation error: ..." for a condition that does not compile (it then fails at evaluation). */
  error?: string;
}

export interface MatchResult {
  matches: boolean;
  /** The condition that was false. */
  failedConditionName?: string;
  /** The errors, aggregated as utilerrors.NewAggregate prints them (one: itself; several: `[a, b]`). */
  error?: string;
}

/** Compiles conditions once (declarations: `authorizer` always; `params` for a policy with a paramKind). */
export function compileMatchConditions(
  conditions: readonly { name?: string; expression?: string }[],
  decls: Declarations,
): CompiledMatchCondition[] {
  return conditions.map((c) => {
    const expression = String(c.expression ?? '').trim();
    const r = compile(expression, { ...decls, authorizer: true }, ['bool']);
    return isCompileError(r)
      ? { name: String(c.name ?? ''), expression, error: `compilation error: ${r.detail}` }
      : { name: String(c.name ?? ''), expression, program: r };
  });
}

/** The kube text of an expression that failed at runtime. */
export function evaluationErrorText(expression: string, e: unknown): string {
  const detail = e instanceof CelEvaluationError ? e.detail : String((e as Error)?.message ?? e);
  return `expression '${expression}' resulted in error: ${detail}`;
}

/** Matcher.Match: in order; the first false decides; otherwise any errors. */
export async function matchConditions(conditions: readonly CompiledMatchCondition[], activation: PreparedActivation): Promise<MatchResult> {
  const errors: string[] = [];
  for (const c of conditions) {
    if (c.error !== undefined) {
      errors.push(c.error);
      continue;
    }
    try {
      if ((await c.program!.evaluate(activation)) === false) return { matches: false, failedConditionName: c.name };
    } catch (e) {
      errors.push(evaluationErrorText(c.expression, e));
    }
  }
  if (errors.length > 0) return { matches: false, error: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` };
  return { matches: true };
}
