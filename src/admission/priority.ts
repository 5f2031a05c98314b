// Priority admission (plugin/pkg/admission/priority/admission.go): a new pod's spec.priority and preemptionPolicy
// come from the PriorityClass it names, or from the global default class (the lowest-valued one when several
// claim it), or are 0 and PreemptLowerPriority when there is none; a pod that states a different value is refused.
// An update keeps the stored values when the new object drops them. On PriorityClasses, only one may be the
// global default.
import type { KubeObject } from '../apimachinery/meta.js';
import { admissionForbidden } from './errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';

/** scheduling.DefaultPriorityWhenNoDefaultClassExists. */
const DEFAULT_PRIORITY = 0;

export interface PriorityClassReader {
  get(name: string): Promise<KubeObject | undefined>;
  list(): Promise<KubeObject[]>;
}

export class Priority implements AdmissionPlugin {
  readonly name = 'Priority';
  constructor(private readonly classes: PriorityClassReader) {}

  async admit(a: AdmissionAttributes): Promise<boolean | void> {
    if (a.subresource !== '' || a.resource.group !== '' || a.resource.resource !== 'pods' || !a.object) return;
    const spec = (a.object.spec ??= {});
    if (a.operation === 'UPDATE') {
      const old = a.oldObject?.spec ?? {};
      let changed = false;
      for (const k of ['priority', 'preemptionPolicy']) {
        if (spec[k] == null && old[k] != null) {
          spec[k] = old[k];
          changed = true;
        }
      }
      return changed;
    }
    if (a.operation !== 'CREATE') return;
    let priority: number;
    let policy: string | undefined;
    if (!spec.priorityClassName) {
      const def = await this.globalDefault();
      if (def) {
        spec.priorityClassName = def.metadata?.name;
        priority = def.value ?? 0;
        policy = def.preemptionPolicy;
      } else {
        priority = DEFAULT_PRIORITY;
        policy = 'PreemptLowerPriority';
      }
    } else {
      const pc = await this.classes.get(spec.priorityClassName);
      if (!pc) throw admissionForbidden(a, `no PriorityClass with name ${spec.priorityClassName} was found`);
      priority = pc.value ?? 0;
      policy = pc.preemptionPolicy;
    }
    if (spec.priority != null && spec.priority !== priority) {
      throw admissionForbidden(
        a,
        `the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
      );
    }
    spec.priority = priority;
    if (policy != null) {
      if (spec.preemptionPolicy != null && spec.preemptionPolicy !== policy) {
        throw admissionForbidden(
          a,
          `the string value of PreemptionPolicy (${String(spec.preemptionPolicy)}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
        );
      }
      spec.preemptionPolicy = policy;
    }
    return true;
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    if (a.subresource !== '' || a.resource.group !== 'scheduling.k8s.io' || a.resource.resource !== 'priorityclasses') return;
    if ((a.operation !== 'CREATE' && a.operation !== 'UPDATE') || a.object?.globalDefault !== true) return;
    const def = await this.globalDefault();
    if (def && (a.operation === 'CREATE' || def.metadata?.name !== a.object.metadata?.name)) {
      throw admissionForbidden(a, `PriorityClass ${def.metadata?.name} is already marked as default. Only one default can exist`);
    }
  }

  /** getDefaultPriorityClass: among the global defaults, the lowest value (the first listed on a tie). */
  private async globalDefault(): Promise<KubeObject | undefined> {
    let def: KubeObject | undefined;
    for (const pc of await this.classes.list()) {
      if (pc.globalDefault === true && (def === undefined || (def.value ?? 0) > (pc.value ?? 0))) def = pc;
    }
    return def;
  }
}
