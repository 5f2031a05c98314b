// The webhooks of the stored configurations, compiled once per configuration version (k8s.io/apiserver/pkg/admission/
// plugin/webhook/accessors.go and configuration/{mutating,validating}_webhook_manager.go): selectors parsed, match
// conditions compiled, one HTTPS client each, all in the order kube calls them — configurations sorted by name, then
// each configuration's webhooks in order. A configuration whose resourceVersion did not change keeps its clients,
// so their kept-alive connections survive unrelated configuration changes.
import { LabelSelector, labelSelectorFromMetav1 } from '../../apimachinery/labels.js';
import type { KubeObject } from '../../storage/interface.js';
import { compileMatchConditions, type ConditionEvaluator } from './conditions.js';
import { WebhookClient, type ServiceResolver } from './client.js';

export interface Rule {
  operations: string[];
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  scope: string;
}

export interface Webhook {
  /** Unique among the webhooks of one kind: `<configuration>/<index>`. */
  uid: string;
  configurationName: string;
  name: string;
  rules: Rule[];
  failurePolicy: 'Fail' | 'Ignore';
  matchPolicy: 'Exact' | 'Equivalent';
  /** A selector that does not parse is kube's internal error when the webhook would be called. */
  namespaceSelector: LabelSelector | Error;
  objectSelector: LabelSelector | Error;
  sideEffects?: string;
  timeoutSeconds: number;
  admissionReviewVersions: string[];
  reinvocationPolicy: 'Never' | 'IfNeeded';
  /** Absent when there are no conditions; a string when they do not compile (an internal error when used). */
  matchConditions?: ConditionEvaluator | string;
  client: WebhookClient;
}

type Json = any;

function selector(sel: Json): LabelSelector | Error {
  try {
    return labelSelectorFromMetav1(sel ?? {});
  } catch (e) {
    return e as Error;
  }
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function compile(config: KubeObject, resolveService: ServiceResolver): Webhook[] {
  const configurationName = String(config.metadata?.name ?? '');
  const hooks: Json[] = Array.isArray(config.webhooks) ? config.webhooks : [];
  return hooks.map((h, i) => {
    const failurePolicy = h.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail';
    const conditions = Array.isArray(h.matchConditions) ? h.matchConditions : [];
    let matchConditions: Webhook['matchConditions'];
    if (conditions.length > 0) {
      const compiled = compileMatchConditions(conditions, 'matchConditions', failurePolicy);
      matchConditions = Array.isArray(compiled) ? compiled.map((e) => `${e.field}: ${e.detail}`).join(', ') : compiled;
    }
    const cc = h.clientConfig ?? {};
    return {
      uid: `${configurationName}/${i}`,
      configurationName,
      name: String(h.name ?? ''),
      rules: (Array.isArray(h.rules) ? h.rules : []).map((r: Json) => ({
        operations: strings(r.operations),
        apiGroups: strings(r.apiGroups),
        apiVersions: strings(r.apiVersions),
        resources: strings(r.resources),
        scope: typeof r.scope === 'string' ? r.scope : '*',
      })),
      failurePolicy,
      matchPolicy: h.matchPolicy === 'Exact' ? 'Exact' : 'Equivalent',
      namespaceSelector: selector(h.namespaceSelector),
      objectSelector: selector(h.objectSelector),
      sideEffects: h.sideEffects ?? undefined,
      timeoutSeconds: typeof h.timeoutSeconds === 'number' ? h.timeoutSeconds : 10,
      admissionReviewVersions: strings(h.admissionReviewVersions),
      reinvocationPolicy: h.reinvocationPolicy === 'IfNeeded' ? 'IfNeeded' : 'Never',
      matchConditions,
      client: new WebhookClient(
        {
          url: typeof cc.url === 'string' ? cc.url : undefined,
          service: cc.service
            ? {
                namespace: String(cc.service.namespace),
                name: String(cc.service.name),
                path: cc.service.path ?? undefined,
                port: cc.service.port ?? 443,
              }
            : undefined,
          caBundle: typeof cc.caBundle === 'string' && cc.caBundle !== '' ? Buffer.from(cc.caBundle, 'base64').toString('utf8') : undefined,
        },
        resolveService,
      ),
    };
  });
}

/** The configurations of one kind (mutating or validating), kept from the storage informer's lists and events. */
export class WebhookSet {
  private readonly byName = new Map<string, { version: string; hooks: Webhook[] }>();
  private ordered: Webhook[] = [];

  constructor(private readonly resolveService: ServiceResolver) {}

  /** Everything the configurations hold now (a relist). */
  replace(configs: readonly KubeObject[]): void {
    const seen = new Set<string>();
    for (const c of configs) {
      seen.add(String(c.metadata?.name ?? ''));
      this.put(c, false);
    }
    for (const [name, entry] of this.byName) {
      if (!seen.has(name)) {
        for (const h of entry.hooks) h.client.close();
        this.byName.delete(name);
      }
    }
    this.reorder();
  }

  put(config: KubeObject, reorder = true): void {
    const name = String(config.metadata?.name ?? '');
    const version = String(config.metadata?.resourceVersion ?? '');
    const existing = this.byName.get(name);
    if (existing && existing.version === version && version !== '') return;
    for (const h of existing?.hooks ?? []) h.client.close();
    this.byName.set(name, { version, hooks: compile(config, this.resolveService) });
    if (reorder) this.reorder();
  }

  remove(name: string): void {
    const existing = this.byName.get(name);
    if (!existing) return;
    for (const h of existing.hooks) h.client.close();
    this.byName.delete(name);
    this.reorder();
  }

  /** The webhooks in calling order. */
  hooks(): readonly Webhook[] {
    return this.ordered;
  }

  close(): void {
    for (const entry of this.byName.values()) for (const h of entry.hooks) h.client.closeNow();
    this.byName.clear();
    this.ordered = [];
  }

  private reorder(): void {
    this.ordered = [...this.byName.keys()].sort().flatMap((name) => this.byName.get(name)!.hooks);
  }
}
