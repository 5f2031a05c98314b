// A webhook's matchConditions as CEL (k8s.io/apiserver/pkg/admission/plugin/webhook/matchconditions/matcher.go, and
// the compile step of pkg/admission/plugin/cel/compile.go as pkg/apis/admissionregistration/validation calls it), on
// the Kubernetes CEL environment ValidatingAdmissionPolicy uses (src/admission/cel/): kube's libraries, a typed
// `request`, `authorizer`, cel-go's error texts and the cost guard.
import type { FieldError } from '../../apimachinery/errors.js';
import type { UserInfo } from '../../apimachinery/user.js';
import { fieldInvalid, fieldRequired } from '../../apimachinery/validation.js';
import { compile, isCompileError, prepare, type CelAuthorize } from '../cel/index.js';
import { matchConditions, type CompiledMatchCondition } from '../cel/matchconditions.js';

export interface MatchCondition {
  name: string;
  expression: string;
}

/** What the conditions see of one request. */
export interface ConditionInput {
  object?: unknown;
  oldObject?: unknown;
  /** The AdmissionRequest without its objects. */
  request: unknown;
  /** For `authorizer`: who asks and about which resource; without it, authorizer checks are denied. */
  authorizer?: {
    authorize: CelAuthorize;
    user: UserInfo;
    requestResource: { group: string; version: string; resource: string; subresource: string; namespace: string; name: string };
  };
}

/** The outcome of a webhook's conditions for one request (matcher.go's MatchResult). */
export interface MatchResult {
  matches: boolean;
  /** Evaluation errors under failurePolicy Fail; the request is then refused. */
  error?: string;
  /** The condition that evaluated to false. */
  failedConditionName?: string;
}

export type ConditionEvaluator = (input: ConditionInput) => Promise<MatchResult>;

const DENY_ALL: CelAuthorize = async () => ({ decision: 'Deny', reason: '' });

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
  const compiled: CompiledMatchCondition[] = [];
  conditions.forEach((c, i) => {
    const expression = String(c?.expression ?? '').trim();
    const path = `${fieldPath}[${i}].expression`;
    if (expression === '') {
      errors.push(fieldRequired(path));
      return;
    }
    const program = compile(expression, { authorizer: true }, ['bool']);
    if (isCompileError(program)) errors.push(fieldInvalid(path, expression, program.detail));
    else compiled.push({ name: String(c.name ?? ''), expression, program });
  });
  if (errors.length > 0) return errors;
  return async (input) => {
    if (compiled.length === 0) return { matches: true };
    const activation = await prepare({
      object: input.object ?? null,
      oldObject: input.oldObject ?? null,
      request: input.request,
      authorizer: input.authorizer ?? {
        authorize: DENY_ALL,
        user: { name: '', uid: '', groups: [] },
        requestResource: { group: '', version: '', resource: '', subresource: '', namespace: '', name: '' },
      },
    });
    const result = await matchConditions(compiled, activation);
    // Errors without a false condition: Ignore skips the webhook, Fail refuses the request.
    if (result.error !== undefined && failurePolicy === 'Ignore') return { matches: false };
    return result;
  };
}
