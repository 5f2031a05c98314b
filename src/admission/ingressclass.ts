// DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass/admission.go): a new Ingress that names no
// class, neither by spec.ingressClassName nor by the legacy `kubernetes.io/ingress.class` annotation, gets the
// IngressClass annotated `ingressclass.kubernetes.io/is-default-class: "true"` (the newest when several are).
import { isMainResource } from './errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';
import { newestDefault, type ClassReader } from './storage.js';

const IS_DEFAULT_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export class DefaultIngressClass implements AdmissionPlugin {
  readonly name = 'DefaultIngressClass';
  constructor(private readonly classes: Pick<ClassReader, 'list'>) {}

  async admit(a: AdmissionAttributes): Promise<boolean | void> {
    if (!isMainResource(a, 'networking.k8s.io', 'ingresses') || a.operation !== 'CREATE' || !a.object) return;
    const ingress = a.object;
    if (ingress.spec?.ingressClassName != null) return;
    if (Object.hasOwn(ingress.metadata?.annotations ?? {}, LEGACY_CLASS_ANNOTATION)) return;
    const def = newestDefault(await this.classes.list(), (c) => c.metadata?.annotations?.[IS_DEFAULT_ANNOTATION] === 'true');
    if (!def) return;
    (ingress.spec ??= {}).ingressClassName = def.metadata?.name;
    return true;
  }
}
