// The ValidatingAdmissionPolicy plugin (k8s.io/apiserver pkg/admission/plugin/policy/validating: dispatcher.go,
// validator.go; generic/policy_dispatcher.go CollectParams): every policy whose matchConstraints select the request,
// with each of its bindings that select it, evaluates its validations against the object, the old object, the
// request, the params and the namespace. Deny refuses the request with kube's message, Warn adds a Warning header,
// Audit an audit annotation; auditAnnotations are published. Policies and bindings come from the server's watch of
// them, so a change made through any kgate process counts without a restart.
import { StatusError, qualifiedResource, type StatusReason } from '../../apimachinery/errors.js';
import { labelSelectorFromMetav1 } from '../../apimachinery/labels.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { goJSONStringify } from '../../apimachinery/objects.js';
import {
  admissionRequest,
  Composition,
  compile,
  isCompileError,
  prepare,
  type CelAuthorize,
  type Declarations,
  type PreparedActivation,
  type Program,
} from '../cel/index.js';
import { compileMatchConditions, evaluationErrorText, matchConditions, type CompiledMatchCondition } from '../cel/matchconditions.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../index.js';
import { matchResources, type MatchDeps } from './matching.js';

type Json = any;

/** A param kind resolved to what serves it. */
export interface ParamResource {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

export interface ValidatingPolicyDeps extends MatchDeps {
  /** The current policies and bindings (from the watch cache), and a number that changes whenever they do. */
  snapshot(): Promise<{ policies: readonly KubeObject[]; bindings: readonly KubeObject[] }>;
  namespace(name: string): Promise<KubeObject | undefined>;
  /** The resource of a paramKind (apiVersion, kind), if kgate serves it. */
  paramResource(apiVersion: string, kind: string): ParamResource | undefined;
  getParam(r: ParamResource, namespace: string, name: string): Promise<KubeObject | undefined>;
  listParams(r: ParamResource, namespace: string): Promise<readonly KubeObject[]>;
  authorize: CelAuthorize;
}

const ADMISSIONREGISTRATION = 'admissionregistration.k8s.io';
const VALIDATION_FAILURE_KEY = 'validation.policy.admission.k8s.io/validation_failure';
const MAX_AUDIT_ANNOTATION_VALUE_LENGTH = 10 * 1024;
const MAX_MESSAGE_LENGTH = 5 * 1024;

interface CompiledValidation {
  expression: string;
  program?: Program;
  error?: string;
  message: string;
  messageProgram?: Program;
  reason?: StatusReason;
}

interface CompiledPolicy {
  name: string;
  failurePolicy: string;
  composition?: Composition;
  matchConditions: CompiledMatchCondition[];
  validations: CompiledValidation[];
  auditAnnotations: { key: string; valueExpression: string; program?: Program; error?: string }[];
}

/** Compiles a stored policy once (per resourceVersion); expressions that do not compile fail at evaluation. */
function compilePolicy(p: KubeObject): CompiledPolicy {
  const spec: Json = p.spec ?? {};
  const params = spec.paramKind != null;
  const variables: Json[] = Array.isArray(spec.variables) ? spec.variables : [];
  let composition: Composition | undefined;
  if (variables.length > 0) {
    composition = new Composition();
    for (const v of variables) composition.add(String(v?.name ?? ''), String(v?.expression ?? ''), { params, authorizer: true });
  }
  const decls: Declarations = { params, authorizer: true, variables: composition };
  const one = (expression: string, d: Declarations, types: string[]) => {
    const r = compile(expression, d, types);
    return isCompileError(r) ? { error: `compilation error: ${r.detail}` } : { program: r };
  };
  return {
    name: p.metadata?.name ?? '',
    failurePolicy: spec.failurePolicy ?? 'Fail',
    composition,
    matchConditions: compileMatchConditions(Array.isArray(spec.matchConditions) ? spec.matchConditions : [], { params }),
    validations: (Array.isArray(spec.validations) ? spec.validations : []).map((v: Json) => {
      const messageExpression = String(v?.messageExpression ?? '');
      const message = messageExpression.trim() !== '' ? one(messageExpression, { ...decls, authorizer: false }, ['string']) : {};
      return {
        expression: String(v?.expression ?? ''),
        ...one(String(v?.expression ?? ''), decls, ['bool']),
        message: String(v?.message ?? ''),
        messageProgram: 'program' in message ? message.program : undefined,
        reason: v?.reason,
      };
    }),
    auditAnnotations: (Array.isArray(spec.auditAnnotations) ? spec.auditAnnotations : []).map((a: Json) => ({
      key: String(a?.key ?? ''),
      valueExpression: String(a?.valueExpression ?? ''),
      ...one(String(a?.valueExpression ?? '').trim(), decls, ['string', 'null_type']),
    })),
  };
}

/** How the plugin sees one failed or erroring check. */
interface Decision {
  deny: boolean;
  message: string;
  reason?: StatusReason;
}

function reasonToCode(reason: StatusReason): number {
  switch (reason) {
    case 'Forbidden':
      return 403;
    case 'Unauthorized':
      return 401;
    case 'RequestEntityTooLarge':
      return 413;
    case 'Invalid':
      return 422;
    default:
      return 400;
  }
}

export class ValidatingAdmissionPolicy implements AdmissionPlugin {
  readonly name = 'ValidatingAdmissionPolicy';
  private readonly compiled = new Map<string, { rv: string; policy: CompiledPolicy }>();

  constructor(private readonly deps: ValidatingPolicyDeps) {}

  private compiledFor(p: KubeObject): CompiledPolicy {
    const key = p.metadata?.uid ?? p.metadata?.name ?? '';
    const rv = p.metadata?.resourceVersion ?? '';
    const hit = this.compiled.get(key);
    if (hit && hit.rv === rv) return hit.policy;
    const policy = compilePolicy(p);
    this.compiled.set(key, { rv, policy });
    return policy;
  }

  /** Drops compiled policies that are gone, once enough have accumulated to be worth a pass. */
  private forgetDeleted(policies: readonly KubeObject[]): void {
    if (this.compiled.size <= policies.length + 16) return;
    const live = new Set(policies.map((p) => p.metadata?.uid ?? p.metadata?.name ?? ''));
    for (const key of this.compiled.keys()) if (!live.has(key)) this.compiled.delete(key);
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    // Requests on admission configuration are exempt (IsExemptAdmissionConfigurationResource).
    if (a.resource.group === ADMISSIONREGISTRATION) return;
    const { policies, bindings } = await this.deps.snapshot();
    this.forgetDeleted(policies);
    if (policies.length === 0 || bindings.length === 0) return;
    const denied: { policy: string; binding?: string; decision: Decision }[] = [];
    for (const policy of policies) {
      const name = policy.metadata?.name ?? '';
      const mine = bindings.filter((b) => b.spec?.policyName === name);
      if (mine.length === 0) continue;
      // A paramKind whose apiVersion does not parse leaves the policy out (the policy source skips it).
      const paramKind = policy.spec?.paramKind;
      const paramGV = paramKind ? String(paramKind.apiVersion ?? '').split('/') : [];
      if (paramGV.length > 2) continue;
      if (!(await matchResources(policy.spec?.matchConstraints, a, this.deps, true))) continue;
      const compiled = this.compiledFor(policy);
      if (paramKind && !this.deps.paramResource(String(paramKind.apiVersion ?? ''), String(paramKind.kind ?? ''))) {
        // A paramKind nothing serves is the policy's configuration error (schema.GroupVersionKind's String()).
        const [group, version] = paramGV.length === 2 ? paramGV : ['', paramGV[0] ?? ''];
        const message = `failed to configure policy: failed to find resource referenced by paramKind: '${group}/${version}, Kind=${paramKind.kind ?? ''}'`;
        if (compiled.failurePolicy !== 'Ignore') denied.push({ policy: name, decision: { deny: true, message } });
        continue;
      }
      const annotations = new Map<string, string[]>();
      for (const binding of mine) {
        if (!(await matchResources(binding.spec?.matchResources, a, this.deps, false))) continue;
        const bindingName = binding.metadata?.name ?? '';
        let params: (KubeObject | null)[];
        try {
          params = await this.collectParams(policy.spec?.paramKind, binding.spec?.paramRef, a.namespace);
        } catch (e) {
          if (compiled.failurePolicy !== 'Ignore') {
            denied.push({
              policy: name,
              binding: bindingName,
              decision: { deny: true, message: `failed to configure binding: ${(e as Error).message}` },
            });
          }
          continue;
        }
        const namespaceObject = a.namespace && a.resource.kind !== 'Namespace' ? await this.deps.namespace(a.namespace) : undefined;
        for (const param of params) {
          const result = await this.evaluate(compiled, a, param, namespaceObject);
          result.decisions.forEach((d, i) => {
            if (!d) return;
            if (!d.deny) return;
            for (const action of binding.spec?.validationActions ?? []) {
              if (action === 'Deny') denied.push({ policy: name, binding: bindingName, decision: d });
              else if (action === 'Warn')
                a.warn(`Validation failed for ValidatingAdmissionPolicy '${name}' with binding '${bindingName}': ${d.message}`);
              else if (action === 'Audit') {
                // utiljson.Marshal: Go's escapes (`<=` is `\u003c=`).
                a.annotate(
                  VALIDATION_FAILURE_KEY,
                  goJSONStringify([
                    {
                      message: d.message,
                      policy: binding.spec?.policyName ?? '',
                      binding: bindingName,
                      expressionIndex: i,
                      validationActions: binding.spec?.validationActions ?? [],
                    },
                  ]),
                );
              }
            }
          });
          for (const r of result.auditAnnotations) {
            if ('error' in r) denied.push({ policy: name, binding: bindingName, decision: { deny: true, message: r.error } });
            else {
              const values = annotations.get(r.key) ?? [];
              if (!values.includes(r.value)) values.push(r.value);
              annotations.set(r.key, values);
            }
          }
        }
      }
      for (const [key, values] of annotations) a.annotate(`${name}/${key}`, values.join(', '));
    }
    if (denied.length > 0) throw this.denial(a, denied[0]);
  }

  /** kube's error: admission.NewForbidden with the policy's reason and code, and the message as the one cause. */
  private denial(a: AdmissionAttributes, d: { policy: string; binding?: string; decision: Decision }): StatusError {
    const message = d.binding
      ? `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.decision.message}`
      : `ValidatingAdmissionPolicy '${d.policy}' denied request: ${d.decision.message}`;
    const reason = d.decision.reason ?? 'Invalid';
    const gr = { group: a.resource.group, resource: a.resource.resource };
    return new StatusError(reasonToCode(reason), reason, `${qualifiedResource(gr)} "${a.name}" is forbidden: ${message}`, {
      name: a.name,
      group: a.resource.group,
      kind: a.resource.resource,
      causes: [{ message }],
    });
  }

  /** CollectParams: the params a binding selects (one null entry when the policy takes none). */
  private async collectParams(paramKind: Json, paramRef: Json, namespace: string): Promise<(KubeObject | null)[]> {
    if (paramKind == null || paramRef == null) return [null];
    const r = this.deps.paramResource(String(paramKind.apiVersion ?? ''), String(paramKind.kind ?? ''));
    if (!r)
      throw new Error(`paramKind kind \`&ParamKind{APIVersion:${paramKind.apiVersion ?? ''},Kind:${paramKind.kind ?? ''},}\` not known`);
    let ns = '';
    if (r.namespaced) {
      ns = paramRef.namespace || namespace;
      if (!ns) throw new Error('cannot use namespaced paramRef in policy binding that matches cluster-scoped resources');
    } else if (paramRef.namespace) {
      throw new Error('paramRef.namespace must not be provided for a cluster-scoped `paramKind`');
    }
    let params: KubeObject[];
    if (paramRef.name) {
      const p = await this.deps.getParam(r, ns, paramRef.name);
      params = p ? [p] : [];
    } else if (paramRef.selector != null) {
      const selector = labelSelectorFromMetav1(paramRef.selector);
      params = (await this.deps.listParams(r, ns)).filter((p) => selector.matches(p.metadata?.labels ?? {}));
    } else {
      throw new Error('one of name or selector must be provided');
    }
    if (params.length === 0 && paramRef.parameterNotFoundAction === 'Deny') {
      throw new Error('no params found for policy binding with `Deny` parameterNotFoundAction');
    }
    return params;
  }

  /** validator.Validate for one binding and param. */
  private async evaluate(
    policy: CompiledPolicy,
    a: AdmissionAttributes,
    param: KubeObject | null,
    namespaceObject: KubeObject | undefined,
  ): Promise<{ decisions: (Decision | undefined)[]; auditAnnotations: ({ key: string; value: string } | { error: string })[] }> {
    const fail = policy.failurePolicy !== 'Ignore';
    const errorDecision = (message: string): Decision => ({ deny: fail, message });
    const request = admissionRequest({
      group: a.resource.group,
      version: a.resource.version,
      kind: a.resource.kind,
      resource: a.resource.resource,
      subresource: a.subresource,
      name: a.name,
      namespace: a.namespace,
      operation: a.operation,
      user: a.user,
      dryRun: a.dryRun,
      options: a.options,
    });
    const user = a.user ?? { name: '', uid: '', groups: [] };
    const activation: PreparedActivation = await prepare(
      {
        object: a.object ?? null,
        oldObject: a.oldObject ?? null,
        request,
        params: param,
        namespaceObject: namespaceObject ?? null,
        authorizer: {
          authorize: this.deps.authorize,
          user,
          requestResource: { ...a.resource, subresource: a.subresource, namespace: a.namespace, name: a.name },
        },
      },
      policy.composition,
    );
    // matchConditions: any false skips the policy for this binding; errors without a false follow failurePolicy.
    const matched = await matchConditions(policy.matchConditions, activation);
    if (matched.error !== undefined) return { decisions: [errorDecision(matched.error)], auditAnnotations: [] };
    if (!matched.matches) return { decisions: [], auditAnnotations: [] };
    const decisions: (Decision | undefined)[] = [];
    for (const v of policy.validations) {
      if (v.error !== undefined) {
        decisions.push(errorDecision(v.error));
        continue;
      }
      let result: unknown;
      try {
        result = await v.program!.evaluate(activation);
      } catch (e) {
        decisions.push(errorDecision(evaluationErrorText(v.expression, e)));
        continue;
      }
      if (result === true) {
        decisions.push(undefined);
        continue;
      }
      let message = '';
      if (v.messageProgram) {
        try {
          const m = await v.messageProgram.evaluate(activation);
          if (typeof m === 'string') {
            message = m.trim();
            if (message.length > MAX_MESSAGE_LENGTH || message.includes('\n')) message = '';
          }
        } catch {
          // kube logs a messageExpression's error and falls back to the message.
        }
      }
      if (message === '' && v.message.length > 0) message = v.message.trim();
      if (message === '') message = `failed expression: ${v.expression.trim()}`;
      decisions.push({ deny: true, message, reason: v.reason ?? 'Invalid' });
    }
    const auditAnnotations: ({ key: string; value: string } | { error: string })[] = [];
    for (const an of policy.auditAnnotations) {
      if (an.error !== undefined) {
        if (fail) auditAnnotations.push({ error: an.error });
        continue;
      }
      let value: unknown;
      try {
        value = await an.program!.evaluate(activation);
      } catch (e) {
        if (fail) auditAnnotations.push({ error: evaluationErrorText(an.program!.expression, e) });
        continue;
      }
      if (typeof value === 'string') {
        const trimmed = value.trim();
        if (trimmed !== '') auditAnnotations.push({ key: an.key, value: trimmed.slice(0, MAX_AUDIT_ANNOTATION_VALUE_LENGTH) });
      } else if (value !== null && fail) {
        auditAnnotations.push({
          error: `valueExpression '${an.valueExpression}' resulted in unsupported return type: ${typeof value}. Return type must be either string or null.`,
        });
      }
    }
    return { decisions, auditAnnotations };
  }
}
