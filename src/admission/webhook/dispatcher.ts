// The MutatingAdmissionWebhook and ValidatingAdmissionWebhook plugins (k8s.io/apiserver/pkg/admission/plugin/webhook:
// generic/webhook.go ShouldCallHook and Dispatch, mutating/dispatcher.go, validating/dispatcher.go,
// predicates/{rules,namespace,object}). Which webhooks a request reaches: rules (operations, groups, versions,
// resources with subresources, scope), then matchPolicy Equivalent (the same resource through another served
// group/version), namespaceSelector (the namespace's labels; a Namespace's own), objectSelector (new or old object's
// labels), matchConditions. Mutating webhooks are called one after another, each seeing the previous one's patch;
// validating webhooks all at once. A call that fails is an internal error under failurePolicy Fail and an audit
// annotation under Ignore; a denial is the webhook's own Status.
import type { CelAuthorize } from '../cel/index.js';
import { StatusError, forbidden, internalError, notFound } from '../../apimachinery/errors.js';
import { deepEqual } from '../../apimachinery/objects.js';
import type { ResourceInfo } from '../../scheme/index.js';
import type { KubeObject } from '../../storage/interface.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../index.js';
import type { Rule, Webhook } from './accessor.js';
import { CallError, ClientConfigError } from './client.js';
import {
  InvalidResponseError,
  UndecodablePatch,
  admissionRequest,
  createReview,
  denial,
  dryRunUnsupported,
  reviewVersion,
  verifyResponse,
  type GVK,
  type ReviewInput,
} from './review.js';

/** What the plugins read beside the request: everything a kube informer or scheme would give them. */
export interface WebhookDeps {
  /** The webhooks of this plugin's kind in calling order, once the configurations have been listed. */
  hooks(): Promise<readonly Webhook[]>;
  /** A namespace's labels; undefined when it does not exist. */
  namespaceLabels(name: string): Promise<Record<string, string> | undefined>;
  /** The other served group/versions of the same stored resource (kube's EquivalentResourceMapper). */
  equivalents(resource: ResourceInfo): readonly ResourceInfo[];
  /** The object as another served version of its resource. */
  convert(obj: KubeObject, from: ResourceInfo, to: ResourceInfo): KubeObject;
  /** RFC 6902 as kube applies a webhook's patch; throws with the reason on failure. */
  applyJSONPatch(doc: KubeObject, operations: readonly unknown[]): KubeObject;
  /** A configuration (an exempt resource) is being written: the source may catch up with it before the next call. */
  noteConfigurationWrite?(resource: ResourceInfo): void;
  /** The authorizer chain, for matchConditions' `authorizer` library. */
  authorize?: CelAuthorize;
}

/** The AdmissionRequest as CEL's `request` declares it: its objects are variables of their own. */
function conditionRequest(request: Record<string, unknown>): Record<string, unknown> {
  const { object: _object, oldObject: _oldObject, uid: _uid, ...rest } = request;
  return rest;
}

/** The configuration kinds webhooks never see (rules.IsExemptAdmissionConfigurationResource). */
const EXEMPT = new Set([
  'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies',
  'mutatingadmissionpolicybindings',
]);

function isExempt(a: AdmissionAttributes): boolean {
  return a.resource.group === 'admissionregistration.k8s.io' && EXEMPT.has(a.resource.resource);
}

/** ErrCallingWebhook: the webhook could not be asked; failurePolicy decides. */
class CallingWebhookError extends Error {
  constructor(webhookName: string, reason: string) {
    super(`failed calling webhook ${JSON.stringify(webhookName)}: ${reason}`);
  }
}

/** A webhook that matched: the resource (and kind) it matched as. */
interface Invocation {
  hook: Webhook;
  resource: ResourceInfo;
  kind: GVK;
}

function exactOrWildcard(items: readonly string[], requested: string): boolean {
  return items.some((item) => item === '*' || item === requested);
}

/** rules.Matcher.Matches for the request's operation, namespace and subresource against `resource`. */
function ruleMatches(rule: Rule, a: AdmissionAttributes, resource: ResourceInfo): boolean {
  const isNamespaceResource = resource.group === '' && resource.version === 'v1' && resource.resource === 'namespaces';
  switch (rule.scope) {
    case '*':
      break;
    case 'Namespaced':
      if (isNamespaceResource || a.namespace === '') return false;
      break;
    case 'Cluster':
      if (!(isNamespaceResource || a.namespace === '')) return false;
      break;
    default:
      return false;
  }
  if (!rule.operations.some((op) => op === '*' || op === a.operation)) return false;
  if (!exactOrWildcard(rule.apiGroups, resource.group)) return false;
  if (!exactOrWildcard(rule.apiVersions, resource.version)) return false;
  return rule.resources.some((resSub) => {
    const slash = resSub.indexOf('/');
    const res = slash < 0 ? resSub : resSub.slice(0, slash);
    const sub = slash < 0 ? '' : resSub.slice(slash + 1);
    return (res === '*' || res === resource.resource) && (sub === '*' || sub === a.subresource);
  });
}

/** The kind a request to `resource` (and the request's subresource) writes. */
function kindOf(resource: ResourceInfo, subresource: string): GVK {
  const sub = subresource ? resource.subresources.find((s) => s.name === subresource) : undefined;
  return sub?.kind ?? { group: resource.group, version: resource.version, kind: resource.kind };
}

function labelsOf(obj: KubeObject | undefined): Record<string, string> {
  return (obj?.metadata?.labels as Record<string, string> | undefined) ?? {};
}

/** The objects as the matched resource's version sees them. */
interface Versioned {
  object?: KubeObject;
  oldObject?: KubeObject;
}

abstract class WebhookPlugin implements AdmissionPlugin {
  abstract readonly name: string;
  protected abstract readonly mutating: boolean;

  constructor(protected readonly deps: WebhookDeps) {}

  /** ShouldCallHook: the invocation, undefined when the webhook does not apply, or a thrown StatusError. */
  protected async shouldCall(hook: Webhook, a: AdmissionAttributes): Promise<Invocation | undefined> {
    let invocation: Invocation | undefined;
    if (hook.rules.some((r) => ruleMatches(r, a, a.resource))) {
      invocation = { hook, resource: a.resource, kind: kindOf(a.resource, a.subresource) };
    } else if (hook.matchPolicy === 'Equivalent') {
      outer: for (const rule of hook.rules) {
        for (const equivalent of this.deps.equivalents(a.resource)) {
          if (ruleMatches(rule, a, equivalent)) {
            invocation = { hook, resource: equivalent, kind: kindOf(equivalent, a.subresource) };
            break outer;
          }
        }
      }
    }
    if (!invocation) return undefined;
    if (!(await this.namespaceMatches(hook, a))) return undefined;
    if (!this.objectMatches(hook, a)) return undefined;
    if (hook.matchConditions !== undefined) {
      const result =
        typeof hook.matchConditions === 'string'
          ? { matches: false, error: hook.failurePolicy === 'Ignore' ? undefined : hook.matchConditions }
          : await hook.matchConditions({
              ...this.versioned(a, invocation),
              request: conditionRequest(admissionRequest('', this.reviewInput(a, invocation, {}))),
              ...(this.deps.authorize && {
                authorizer: {
                  authorize: this.deps.authorize,
                  user: a.user ?? { name: '', uid: '', groups: [] },
                  requestResource: { ...a.resource, subresource: a.subresource, namespace: a.namespace, name: a.name },
                },
              }),
            });
      if (result.error !== undefined) throw forbidden({ group: a.resource.group, resource: a.resource.resource }, a.name, result.error);
      if (!result.matches) return undefined;
    }
    return invocation;
  }

  /** namespace.Matcher.MatchNamespaceSelector. */
  private async namespaceMatches(hook: Webhook, a: AdmissionAttributes): Promise<boolean> {
    const isNamespaces = a.resource.group === '' && a.resource.resource === 'namespaces';
    if (a.namespace === '' && !isNamespaces) return true;
    const selector = hook.namespaceSelector;
    if (selector instanceof Error) throw internalError(selector.message);
    if (selector.isEverything()) return true;
    let labels: Record<string, string> | undefined;
    if (isNamespaces && a.subresource === '' && (a.operation === 'CREATE' || a.operation === 'UPDATE')) {
      labels = labelsOf(a.object);
    } else {
      const name = a.namespace !== '' ? a.namespace : a.name;
      labels = await this.deps.namespaceLabels(name);
      if (labels === undefined) throw notFound({ group: '', resource: 'namespaces' }, name);
    }
    return selector.matches(labels);
  }

  /** object.Matcher.MatchObjectSelector: the new or the old object's labels. */
  private objectMatches(hook: Webhook, a: AdmissionAttributes): boolean {
    const selector = hook.objectSelector;
    if (selector instanceof Error) throw internalError(selector.message);
    if (selector.isEverything()) return true;
    return (
      (a.object !== undefined && selector.matches(labelsOf(a.object))) ||
      (a.oldObject !== undefined && selector.matches(labelsOf(a.oldObject)))
    );
  }

  protected versioned(a: AdmissionAttributes, inv: Invocation): Versioned {
    if (inv.resource === a.resource) return { object: a.object, oldObject: a.oldObject };
    return {
      object: a.object && this.deps.convert(a.object, a.resource, inv.resource),
      oldObject: a.oldObject && this.deps.convert(a.oldObject, a.resource, inv.resource),
    };
  }

  protected reviewInput(a: AdmissionAttributes, inv: Invocation, objects: Versioned): ReviewInput {
    return {
      kind: inv.kind,
      resource: { group: inv.resource.group, version: inv.resource.version, resource: inv.resource.resource },
      subresource: a.subresource,
      requestKind: kindOf(a.resource, a.subresource),
      requestResource: { group: a.resource.group, version: a.resource.version, resource: a.resource.resource },
      name: a.name,
      namespace: a.namespace,
      operation: a.operation,
      user: a.user,
      object: objects.object,
      oldObject: objects.oldObject,
      dryRun: a.dryRun,
      options: a.options,
    };
  }

  /**
   * One call (callAttrMutatingHook / callHook up to the patch): the checked answer. Warnings and audit annotations
   * are passed on; a denial is thrown as the webhook's Status, a failure to ask as CallingWebhookError.
   */
  protected async call(a: AdmissionAttributes, inv: Invocation, objects: Versioned) {
    const hook = inv.hook;
    if (a.dryRun) {
      if (hook.sideEffects === undefined) throw new CallingWebhookError(hook.name, 'Webhook SideEffects is nil');
      if (hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') throw dryRunUnsupported(hook.name);
    }
    const version = reviewVersion(hook.admissionReviewVersions);
    if (!version) {
      throw new CallingWebhookError(
        hook.name,
        'could not create admission objects: webhook does not accept known AdmissionReview versions (v1, v1beta1)',
      );
    }
    const { uid, body } = createReview(version, this.reviewInput(a, inv, objects));
    let answer: unknown;
    try {
      answer = await hook.client.post(body, hook.timeoutSeconds);
    } catch (e) {
      if (e instanceof CallError) throw new CallingWebhookError(hook.name, `failed to call webhook: ${e.message}`);
      if (e instanceof ClientConfigError) throw new CallingWebhookError(hook.name, `could not get REST client: ${e.message}`);
      throw e;
    }
    let result;
    try {
      result = verifyResponse(version, uid, this.mutating, answer);
    } catch (e) {
      if (e instanceof InvalidResponseError) throw new CallingWebhookError(hook.name, `received invalid webhook response: ${e.message}`);
      throw e;
    }
    for (const [k, v] of Object.entries(result.auditAnnotations)) a.annotate(`${hook.name}/${k}`, String(v));
    for (const w of result.warnings) a.warn(w);
    if (!result.allowed) throw denial(hook.name, result.result);
    return result;
  }
}

/** The failed-call Status under failurePolicy Fail (apierrors.NewInternalError of ErrCallingWebhook). */
function failClosed(e: CallingWebhookError): StatusError {
  return internalError(e.message);
}

export class MutatingAdmissionWebhook extends WebhookPlugin {
  readonly name = 'MutatingAdmissionWebhook';
  protected readonly mutating = true;

  async admit(a: AdmissionAttributes): Promise<boolean> {
    if (isExempt(a)) {
      this.deps.noteConfigurationWrite?.(a.resource);
      return false;
    }
    const hooks = await this.deps.hooks();
    if (hooks.length === 0) return false;
    // The reinvocation context: IfNeeded webhooks called so far, and those a later change requires calling again.
    const reinvocable = new Set<string>();
    let toReinvoke = new Set<string>();
    let changedAny = false;
    for (let round = 0; round < 2; round++) {
      if (round === 1 && toReinvoke.size === 0) break;
      const candidates = round === 1 ? toReinvoke : undefined;
      toReinvoke = new Set();
      for (let i = 0; i < hooks.length; i++) {
        const hook = hooks[i];
        const inv = await this.shouldCall(hook, a);
        if (!inv) continue;
        if (candidates && !candidates.has(hook.uid)) continue;
        const changed = await this.callMutating(a, inv, round, i);
        if (changed) {
          changedAny = true;
          for (const uid of reinvocable) toReinvoke.add(uid);
        }
        if (hook.reinvocationPolicy === 'IfNeeded') reinvocable.add(hook.uid);
      }
      // Only one reinvocation round, as kube's reinvoker makes.
      if (round === 1) break;
    }
    return changedAny;
  }

  /** One mutating webhook, its failure policy applied: whether it changed the object. */
  private async callMutating(a: AdmissionAttributes, inv: Invocation, round: number, index: number): Promise<boolean> {
    const hook = inv.hook;
    let changed = false;
    try {
      const objects = this.versioned(a, inv);
      const result = await this.call(a, inv, objects);
      if (result.patch === undefined) return false;
      if (result.patch instanceof UndecodablePatch) {
        throw new CallingWebhookError(hook.name, `received undecodable patch in webhook response: ${result.patch.reason}`);
      }
      if (!Array.isArray(result.patch)) {
        throw new CallingWebhookError(
          hook.name,
          'received undecodable patch in webhook response: json: cannot unmarshal object into Go value of type jsonpatch.Patch',
        );
      }
      if (result.patch.length === 0) return false;
      if (objects.object === undefined) {
        throw internalError(
          `admission webhook ${JSON.stringify(hook.name)} attempted to modify the object, which is not supported for this operation`,
        );
      }
      if (result.patchType !== 'JSONPatch') {
        throw new CallingWebhookError(hook.name, `unsupported patch type ${JSON.stringify(result.patchType)}`);
      }
      let patched: KubeObject;
      try {
        patched = this.deps.applyJSONPatch(objects.object, result.patch);
      } catch (e) {
        throw internalError((e as Error).message);
      }
      changed = !deepEqual(objects.object, patched);
      a.annotate(
        `patch.webhook.admission.k8s.io/round_${round}_index_${index}`,
        JSON.stringify({ configuration: hook.configurationName, webhook: hook.name, patch: result.patch, patchType: 'JSONPatch' }),
      );
      a.object = inv.resource === a.resource ? patched : this.deps.convert(patched, inv.resource, a.resource);
      return changed;
    } catch (e) {
      if (!(e instanceof CallingWebhookError)) throw e;
      if (hook.failurePolicy === 'Ignore') {
        a.annotate(`failed-open.mutation.webhook.admission.k8s.io/round_${round}_index_${index}`, hook.name);
        return false;
      }
      throw failClosed(e);
    } finally {
      a.annotate(
        `mutation.webhook.admission.k8s.io/round_${round}_index_${index}`,
        JSON.stringify({ configuration: hook.configurationName, webhook: hook.name, mutated: changed }),
      );
    }
  }
}

export class ValidatingAdmissionWebhook extends WebhookPlugin {
  readonly name = 'ValidatingAdmissionWebhook';
  protected readonly mutating = false;

  async validate(a: AdmissionAttributes): Promise<void> {
    if (isExempt(a)) {
      this.deps.noteConfigurationWrite?.(a.resource);
      return;
    }
    const hooks = await this.deps.hooks();
    if (hooks.length === 0) return;
    const relevant: Invocation[] = [];
    for (const hook of hooks) {
      const inv = await this.shouldCall(hook, a);
      if (inv) relevant.push(inv);
    }
    if (relevant.length === 0) return;
    // All at once; the first refusal to arrive is the answer, as kube reads its error channel.
    const errors: StatusError[] = [];
    await Promise.all(
      relevant.map(async (inv, idx) => {
        try {
          await this.call(a, inv, this.versioned(a, inv));
        } catch (e) {
          if (e instanceof CallingWebhookError) {
            if (inv.hook.failurePolicy === 'Ignore') {
              a.annotate(`failed-open.validating.webhook.admission.k8s.io/round_0_index_${idx}`, inv.hook.name);
              return;
            }
            errors.push(failClosed(e));
            return;
          }
          errors.push(
            e instanceof StatusError ? e : internalError(`ValidatingAdmissionWebhook/${inv.hook.name} has panicked: ${String(e)}`),
          );
        }
      }),
    );
    if (errors.length > 0) throw errors[0];
  }
}
