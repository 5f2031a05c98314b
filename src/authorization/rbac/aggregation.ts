// Aggregated ClusterRoles (pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go, which kube
// runs in kube-controller-manager; kgate runs it in the server so admin, edit and view have rules without one).
// A ClusterRole with an aggregationRule gets, in name order, every distinct rule of the other ClusterRoles its
// selectors match; it is rewritten only when that list differs from what it holds.
import { deepEqual } from '../../apimachinery/objects.js';
import { labelSelectorFromMetav1, LabelSelectorError, type Metav1LabelSelector } from '../../apimachinery/labels.js';
import type { PolicyRule } from './rules.js';

export interface ClusterRoleObject {
  metadata: { name?: string; labels?: Record<string, string> | null };
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: Metav1LabelSelector[] | null } | null;
}

/** The rules `role` should hold, or undefined when it aggregates nothing or already holds them. */
export function aggregatedRules(role: ClusterRoleObject, all: Iterable<ClusterRoleObject>): PolicyRule[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!role.aggregationRule || !selectors) return undefined;
  const matched = new Map<string, ClusterRoleObject>();
  for (const s of selectors) {
    let selector;
    try {
      selector = labelSelectorFromMetav1(s);
    } catch (e) {
      // Validation refuses such selectors; one written before that is skipped, as the controller's lister errs.
      if (e instanceof LabelSelectorError) continue;
      throw e;
    }
    for (const other of all) {
      const name = other.metadata.name ?? '';
      if (name !== role.metadata.name && selector.matches(other.metadata.labels ?? {})) matched.set(name, other);
    }
  }
  const rules: PolicyRule[] = [];
  for (const name of [...matched.keys()].sort()) {
    for (const rule of matched.get(name)!.rules ?? []) if (!rules.some((r) => deepEqual(r, rule))) rules.push(rule);
  }
  return deepEqual(rules, role.rules ?? []) ? undefined : rules;
}

export interface AggregationSource {
  clusterRoleObjects(): Iterable<ClusterRoleObject>;
  /** Called after any ClusterRole changes; returns the unsubscribe. */
  onClusterRolesChanged(listener: () => void): () => void;
}

/** Writes a role's aggregated rules; a conflict or other failure is retried on the next change. */
export type AggregationWriter = (name: string, rules: PolicyRule[]) => Promise<void>;

/**
 * Re-aggregates after every burst of ClusterRole changes (one pass per event-loop turn). Its own writes come
 * back as changes; the pass they trigger finds every role holding its rules and writes nothing.
 */
export class ClusterRoleAggregator {
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly source: AggregationSource,
    private readonly write: AggregationWriter,
    private readonly onError: (message: string) => void,
  ) {}

  start(): void {
    this.unsubscribe = this.source.onClusterRolesChanged(() => this.schedule());
    this.schedule();
  }

  stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    return this.running;
  }

  /** Resolves once every pass scheduled so far has finished (tests and start-up wait on it). */
  idle(): Promise<void> {
    return this.scheduled ? new Promise((resolve) => setImmediate(() => resolve(this.idle()))) : this.running;
  }

  private schedule(): void {
    if (this.scheduled || !this.unsubscribe) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.running.then(() => this.pass());
    });
  }

  /**
   * Aggregates to a fixed point in memory before writing, since aggregated roles feed each other (view into
   * edit, edit into admin): one pass writes each role once, and the events of its own writes change nothing.
   */
  private async pass(): Promise<void> {
    const roles = new Map<string, ClusterRoleObject>();
    for (const role of this.source.clusterRoleObjects()) roles.set(role.metadata.name ?? '', role);
    const pending = new Map<string, PolicyRule[]>();
    for (let round = 0; round < 10; round++) {
      let changed = false;
      for (const [name, role] of roles) {
        const rules = aggregatedRules(role, roles.values());
        if (!rules) continue;
        roles.set(name, { ...role, rules });
        pending.set(name, rules);
        changed = true;
      }
      if (!changed) break;
    }
    for (const [name, rules] of pending) {
      await this.write(name, rules).catch((e: Error) => this.onError(`aggregating ClusterRole ${name}: ${e.message}`));
    }
  }
}
