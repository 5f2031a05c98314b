// PodSecurity (plugin/pkg/admission/security/podsecurity and k8s.io/pod-security-admission admission/admission.go,
// v1.34): a validating plugin that applies the Pod Security Standards a namespace's labels choose. Pods are refused
// by the enforce level, and get a Warning header by the warn level and an audit annotation by the audit level;
// workload resources with a pod template (Deployments, Jobs, ...) get warnings and audit annotations but are never
// refused, as their pods are checked when created. Namespaces with invalid labels are refused; raising a
// namespace's enforce level warns about its existing pods that would violate it. Nothing here sees Koa: the server
// hands it a namespace getter and a pod lister over the watch cache.
import { internalError, invalid, forbidden, StatusError, fieldErrorMessage, type FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../storage/interface.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../index.js';
import {
  aggregate,
  Evaluator,
  forbiddenDetail,
  forbiddenReason,
  sortedStrings,
  type AggregateResult,
  type PodMetadata,
  type PodSpec,
} from './checks.js';
import {
  AUDIT_ANNOTATION_PREFIX,
  AUDIT_LEVEL_LABEL,
  AUDIT_VERSION_LABEL,
  AUDIT_VIOLATIONS_ANNOTATION,
  compareLevels,
  DEFAULT_POLICY,
  ENFORCE_LEVEL_LABEL,
  ENFORCE_VERSION_LABEL,
  ENFORCED_POLICY_ANNOTATION,
  equivalentPolicy,
  EXEMPTION_REASON_ANNOTATION,
  fullyPrivileged,
  LATEST,
  levelVersionString,
  policyToEvaluate,
  sameLevelVersion,
  sameVersion,
  WARN_LEVEL_LABEL,
  WARN_VERSION_LABEL,
  type LevelVersion,
  type Policy,
} from './levels.js';
import { deepEqual } from '../../apimachinery/objects.js';

/** PodSecurityConfiguration's exemptions: requests by these users, in these namespaces, or for pods of these runtime classes. */
export interface Exemptions {
  usernames?: readonly string[];
  namespaces?: readonly string[];
  runtimeClasses?: readonly string[];
}

export interface PodSecurityOptions {
  /** The namespace object, undefined when it does not exist; throws when it cannot be read. */
  namespace(name: string): Promise<KubeObject | undefined>;
  /** The pods of a namespace, as an informer lists them. */
  pods(namespace: string): Promise<KubeObject[]>;
  /** Default: privileged:latest for every mode (kube's default configuration). */
  defaults?: Policy;
  /** Default: none (kube's default configuration). */
  exemptions?: Exemptions;
  /** How many of a namespace's pods a new enforce level is checked against (default 3000) and for how long (1 s). */
  namespaceMaxPodsToCheck?: number;
  namespacePodCheckTimeoutMs?: number;
  /** The clock the time budget reads (tests replace it). */
  now?: () => number;
}

/** What one evaluation decided: kube's AdmissionResponse as far as the plugin passes it on. */
export interface PodSecurityResponse {
  allowed: boolean;
  /** The Status to answer with when not allowed. */
  error?: StatusError;
  warnings: string[];
  /** Keys without the pod-security.kubernetes.io/ prefix, as the library returns them. */
  auditAnnotations: Record<string, string>;
}

/** The resources whose objects embed a pod template (DefaultPodSpecExtractor). */
const POD_SPEC_RESOURCES = new Set([
  '/replicationcontrollers',
  '/podtemplates',
  'apps/replicasets',
  'apps/deployments',
  'apps/statefulsets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
]);

/**
 * Pod subresources that cannot change what the checks read. Any other (ephemeralcontainers, resize, ...) is
 * evaluated, so that an unknown subresource able to change the pod spec fails safe.
 */
const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);

const allowed = (auditAnnotations: Record<string, string> = {}, warnings: string[] = []): PodSecurityResponse => ({
  allowed: true,
  warnings,
  auditAnnotations,
});

export class PodSecurity implements AdmissionPlugin {
  readonly name = 'PodSecurity';
  private readonly evaluator = new Evaluator();
  private readonly defaults: Policy;
  private readonly exemptions: Required<Exemptions>;
  private readonly maxPods: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: PodSecurityOptions) {
    this.defaults = options.defaults ?? DEFAULT_POLICY;
    this.exemptions = {
      usernames: options.exemptions?.usernames ?? [],
      namespaces: options.exemptions?.namespaces ?? [],
      runtimeClasses: options.exemptions?.runtimeClasses ?? [],
    };
    this.maxPods = options.namespaceMaxPodsToCheck ?? 3000;
    this.timeoutMs = options.namespacePodCheckTimeoutMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Plugin.Validate: passes the library's warnings and audit annotations on, and refuses with its Status. */
  async validate(a: AdmissionAttributes): Promise<void> {
    const response = await this.evaluate(a);
    if (!response) return;
    for (const w of response.warnings) a.warn(w);
    for (const [k, v] of Object.entries(response.auditAnnotations)) a.annotate(AUDIT_ANNOTATION_PREFIX + k, v);
    if (!response.allowed) throw response.error!;
  }

  /** The library's Validate for the resources it applies to; undefined for others and for other operations. */
  async evaluate(a: AdmissionAttributes): Promise<PodSecurityResponse | undefined> {
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return undefined;
    const { group, resource } = a.resource;
    if (group === '' && resource === 'namespaces') return this.validateNamespace(a);
    if (group === '' && resource === 'pods') return this.validatePod(a);
    if (POD_SPEC_RESOURCES.has(`${group}/${resource}`)) return this.validatePodController(a);
    return undefined;
  }

  // ---- namespaces ----

  private async validateNamespace(a: AdmissionAttributes): Promise<PodSecurityResponse> {
    if (a.subresource !== '') return allowed();
    const namespace = a.object ?? {};
    const labels = namespace.metadata?.labels as Record<string, string> | undefined;
    const name = String(namespace.metadata?.name ?? a.name);
    const { policy: newPolicy, errors: newErrors } = policyToEvaluate(labels, this.defaults);
    const refuse = (errors: FieldError[]): PodSecurityResponse => ({
      allowed: false,
      error: invalid('', a.resource.kind, a.name, errors),
      warnings: [],
      auditAnnotations: {},
    });

    if (a.operation === 'CREATE') {
      if (newErrors.length > 0) return refuse(newErrors);
      return this.exemptNamespaceResponse(a.namespace, name, newPolicy, labels) ?? allowed();
    }

    const oldLabels = a.oldObject?.metadata?.labels as Record<string, string> | undefined;
    const { policy: oldPolicy, errors: oldErrors } = policyToEvaluate(oldLabels, this.defaults);
    // Invalid labels are refused when they change, so a namespace already carrying them can still be updated.
    if (newErrors.length > 0 && (oldErrors.length === 0 || !deepEqual(newErrors, oldErrors))) return refuse(newErrors);

    // Existing pods are checked only when the enforce level becomes stricter (or its version changes).
    if (sameLevelVersion(newPolicy.enforce, oldPolicy.enforce)) return allowed();
    if (newPolicy.enforce.level === 'privileged') return allowed();
    if (
      sameVersion(newPolicy.enforce.version, oldPolicy.enforce.version) &&
      compareLevels(newPolicy.enforce.level, oldPolicy.enforce.level) < 1
    ) {
      return allowed();
    }
    if (this.exemptNamespace(a.namespace)) return this.exemptNamespaceResponse(a.namespace, name, newPolicy, labels) ?? allowed();
    return allowed({}, await this.evaluatePodsInNamespace(name, newPolicy.enforce));
  }

  /** The warnings for a namespace whose existing pods would violate its new enforce level. */
  private async evaluatePodsInNamespace(namespace: string, enforce: LevelVersion): Promise<string[]> {
    const deadline = this.now() + this.timeoutMs;
    let pods: KubeObject[];
    try {
      pods = await this.options.pods(namespace);
    } catch {
      return ['failed to list pods while checking new PodSecurity enforce level'];
    }
    const prioritized = this.prioritizePods(pods);
    const total = prioritized.length;
    const toCheck = prioritized.slice(0, this.maxPods);
    let checked = toCheck.length;
    // One line per distinct violation, naming the lexically first pod that has it and how many others do.
    const counts = new Map<string, { podName: string; count: number }>();
    const order: string[] = [];
    for (let i = 0; i < toCheck.length; i++) {
      const pod = toCheck[i];
      const r = aggregate(this.evaluator.evaluatePod(enforce, pod.metadata ?? {}, pod.spec ?? {}));
      if (!r.allowed) {
        const warning = forbiddenReason(r);
        const podName = String(pod.metadata?.name ?? '');
        const seen = counts.get(warning);
        if (!seen) {
          counts.set(warning, { podName, count: 1 });
          order.push(warning);
        } else {
          if (podName < seen.podName) seen.podName = podName;
          seen.count++;
        }
      }
      if (this.now() > deadline) {
        checked = i + 1;
        break;
      }
    }
    const warnings: string[] = [];
    if (checked < total) warnings.push(`new PodSecurity enforce level only checked against the first ${checked} of ${total} existing pods`);
    if (order.length > 0) {
      warnings.push(
        `existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(levelVersionString(enforce))}`,
      );
    }
    const decorated = order.map((warning) => {
      const { podName, count } = counts.get(warning)!;
      if (count === 1) return `${podName}: ${warning}`;
      if (count === 2) return `${podName} (and 1 other pod): ${warning}`;
      return `${podName} (and ${count - 1} other pods): ${warning}`;
    });
    return [...warnings, ...sortedStrings(decorated)];
  }

  /** Pods not of an exempt runtime class, one per controller first, then the controllers' other replicas. */
  private prioritizePods(pods: readonly KubeObject[]): KubeObject[] {
    const first: KubeObject[] = [];
    const replicas: KubeObject[] = [];
    const controllers = new Set<string>();
    for (const pod of pods) {
      if (this.exemptRuntimeClass(pod.spec?.runtimeClassName)) continue;
      const owners = Array.isArray(pod.metadata?.ownerReferences) ? pod.metadata.ownerReferences : [];
      const controller = owners.find((o: { controller?: boolean }) => o?.controller === true);
      if (!controller) first.push(pod);
      else if (controllers.has(controller.uid)) replicas.push(pod);
      else {
        first.push(pod);
        controllers.add(controller.uid);
      }
    }
    return [...first, ...replicas];
  }

  // ---- pods ----

  private async validatePod(a: AdmissionAttributes): Promise<PodSecurityResponse> {
    if (IGNORED_POD_SUBRESOURCES.has(a.subresource)) return allowed();
    if (this.exemptNamespace(a.namespace)) return allowed({ [EXEMPTION_REASON_ANNOTATION]: 'namespace' });
    if (this.exemptUser(a.user?.name)) return allowed({ [EXEMPTION_REASON_ANNOTATION]: 'user' });

    const { namespace, lookupError } = await this.lookupNamespace(a.namespace);
    if (!namespace) {
      const err = internalError(`failed to lookup namespace ${JSON.stringify(a.namespace)}`);
      return { allowed: false, error: err, warnings: [], auditAnnotations: { error: `${err.status.message}: ${lookupError}` } };
    }
    const { policy, errors } = policyToEvaluate(namespace.metadata?.labels, this.defaults);
    if (errors.length === 0 && fullyPrivileged(policy)) {
      return allowed({ [ENFORCED_POLICY_ANNOTATION]: levelVersionString({ level: 'privileged', version: LATEST }) });
    }
    const pod = a.object ?? {};
    // Only updates that change what the checks read matter: images, and containers added (ephemeral ones).
    if (a.operation === 'UPDATE' && !isSignificantPodUpdate(pod.spec ?? {}, a.oldObject?.spec ?? {})) return allowed();
    return this.evaluatePod(a, policy, errors, pod.metadata ?? {}, pod.spec ?? {}, true);
  }

  // ---- workload resources ----

  private async validatePodController(a: AdmissionAttributes): Promise<PodSecurityResponse> {
    if (a.subresource !== '') return allowed();
    if (this.exemptNamespace(a.namespace)) return allowed({ [EXEMPTION_REASON_ANNOTATION]: 'namespace' });
    if (this.exemptUser(a.user?.name)) return allowed({ [EXEMPTION_REASON_ANNOTATION]: 'user' });
    const { namespace, lookupError } = await this.lookupNamespace(a.namespace);
    if (!namespace) return allowed({ error: `failed to lookup namespace ${JSON.stringify(a.namespace)}: ${lookupError}` });
    const { policy, errors } = policyToEvaluate(namespace.metadata?.labels, this.defaults);
    if (errors.length === 0 && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return allowed();
    const template = podTemplateOf(a.resource.resource, a.object ?? {});
    // A controller without a pod template (a ReplicationController may omit it) has nothing to check.
    if (!template) return allowed();
    return this.evaluatePod(a, policy, errors, template.metadata ?? {}, template.spec ?? {}, false);
  }

  /** EvaluatePod: enforce (pods only), then audit, then warn, each level:version evaluated once. */
  private evaluatePod(
    a: AdmissionAttributes,
    policy: Policy,
    policyErrors: FieldError[],
    meta: PodMetadata,
    spec: PodSpec,
    enforce: boolean,
  ): PodSecurityResponse {
    if (this.exemptRuntimeClass(spec.runtimeClassName)) return allowed({ [EXEMPTION_REASON_ANNOTATION]: 'runtimeClass' });
    const auditAnnotations: Record<string, string> = {};
    if (policyErrors.length > 0) auditAnnotations.error = `Failed to parse policy: ${aggregateError(policyErrors)}`;
    const cache = new Map<string, AggregateResult>();
    const evaluate = (lv: LevelVersion) => {
      const key = levelVersionString(lv);
      let result = cache.get(key);
      if (!result) {
        result = aggregate(this.evaluator.evaluatePod(lv, meta, spec));
        cache.set(key, result);
      }
      return result;
    };
    const response: PodSecurityResponse = { allowed: true, warnings: [], auditAnnotations };
    if (enforce) {
      auditAnnotations[ENFORCED_POLICY_ANNOTATION] = levelVersionString(policy.enforce);
      const result = evaluate(policy.enforce);
      if (!result.allowed) {
        response.allowed = false;
        response.error = forbidden(
          { group: a.resource.group, resource: a.resource.resource },
          a.name,
          `violates PodSecurity ${JSON.stringify(levelVersionString(policy.enforce))}: ${forbiddenDetail(result)}`,
        );
      }
    }
    const auditResult = evaluate(policy.audit);
    if (!auditResult.allowed) {
      auditAnnotations[AUDIT_VIOLATIONS_ANNOTATION] =
        `would violate PodSecurity ${JSON.stringify(levelVersionString(policy.audit))}: ${forbiddenDetail(auditResult)}`;
    }
    // A request already refused gets no warnings.
    if (response.allowed) {
      const warnResult = evaluate(policy.warn);
      if (!warnResult.allowed) {
        response.warnings.push(
          `would violate PodSecurity ${JSON.stringify(levelVersionString(policy.warn))}: ${forbiddenDetail(warnResult)}`,
        );
      }
    }
    return response;
  }

  /** The namespace, or why it could not be read (a missing one reads as the client's NotFound error). */
  private async lookupNamespace(name: string): Promise<{ namespace?: KubeObject; lookupError: string }> {
    try {
      const namespace = await this.options.namespace(name);
      return namespace ? { namespace, lookupError: '' } : { lookupError: `namespaces ${JSON.stringify(name)} not found` };
    } catch (e) {
      return { lookupError: e instanceof Error ? e.message : String(e) };
    }
  }

  // ---- exemptions ----

  private exemptNamespace(namespace: string): boolean {
    return namespace !== '' && this.exemptions.namespaces.includes(namespace);
  }

  private exemptUser(username: string | undefined): boolean {
    return !!username && this.exemptions.usernames.includes(username);
  }

  private exemptRuntimeClass(runtimeClass: unknown): boolean {
    return typeof runtimeClass === 'string' && runtimeClass !== '' && this.exemptions.runtimeClasses.includes(runtimeClass);
  }

  /** An exempt namespace labelled with a non-privileged policy is told the labels are ignored. */
  private exemptNamespaceResponse(
    requestNamespace: string,
    name: string,
    policy: Policy,
    labels: Record<string, string> | undefined,
  ): PodSecurityResponse | undefined {
    if (!this.exemptNamespace(requestNamespace)) return undefined;
    if (fullyPrivileged(policy) || equivalentPolicy(policy, this.defaults)) return undefined;
    const has = (key: string) => !!labels && Object.prototype.hasOwnProperty.call(labels, key);
    const parts: string[] = [];
    if (policy.enforce.level !== 'privileged' && (has(ENFORCE_LEVEL_LABEL) || has(ENFORCE_VERSION_LABEL))) {
      parts.push(`enforce=${levelVersionString(policy.enforce)}`);
    }
    if (policy.audit.level !== 'privileged' && (has(AUDIT_LEVEL_LABEL) || has(AUDIT_VERSION_LABEL)))
      parts.push(`audit=${levelVersionString(policy.audit)}`);
    if (policy.warn.level !== 'privileged' && (has(WARN_LEVEL_LABEL) || has(WARN_VERSION_LABEL)))
      parts.push(`warn=${levelVersionString(policy.warn)}`);
    return allowed({}, [
      `namespace ${JSON.stringify(name)} is exempt from Pod Security, and the policy (${parts.join(', ')}) will be ignored`,
    ]);
  }
}

/** utilerrors.Aggregate's text for field errors: one message, or `[a, b]`. */
function aggregateError(errors: readonly FieldError[]): string {
  const messages = errors.map((e) => fieldErrorMessage(e));
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/** ExtractPodSpec for the workload resources: their pod template's metadata and spec. */
function podTemplateOf(resource: string, obj: KubeObject): { metadata?: PodMetadata; spec?: PodSpec } | undefined {
  const template =
    resource === 'podtemplates' ? obj.template : resource === 'cronjobs' ? obj.spec?.jobTemplate?.spec?.template : obj.spec?.template;
  return template !== null && typeof template === 'object' ? template : undefined;
}

/** isSignificantPodUpdate: containers added or removed, or an image changed. */
export function isSignificantPodUpdate(spec: PodSpec, oldSpec: PodSpec): boolean {
  const list = (v: unknown): Record<string, any>[] => (Array.isArray(v) ? v : []);
  const image = (c: Record<string, any> | undefined) => (typeof c?.image === 'string' ? c.image : '');
  for (const key of ['containers', 'initContainers']) {
    const now = list(spec[key]);
    const before = list(oldSpec[key]);
    if (now.length !== before.length) return true;
    if (now.some((c, i) => image(c) !== image(before[i]))) return true;
  }
  const oldEphemeral = list(oldSpec.ephemeralContainers);
  for (const c of list(spec.ephemeralContainers)) {
    const old = oldEphemeral.find((o) => o?.name === c?.name);
    if (!old || image(c) !== image(old)) return true;
  }
  return false;
}
