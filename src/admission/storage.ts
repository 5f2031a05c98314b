// The storage plugins: DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault) gives a new claim
// that names no class the default StorageClass; StorageObjectInUseProtection
// (plugin/pkg/admission/storage/storageobjectinuseprotection) puts the protection finalizer on new
// PersistentVolumes and claims, which kube's pv/pvc-protection controllers remove once nothing uses them;
// PersistentVolumeClaimResize (plugin/pkg/admission/storage/persistentvolume/resize) allows a claim to grow only
// when it is bound and its StorageClass allows expansion.
import type { KubeObject } from '../apimachinery/meta.js';
import { compareQuantity, parseQuantity } from '../apimachinery/quantity.js';
import { admissionForbidden, isMainResource } from './errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
const IS_DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

export interface ClassReader {
  get(name: string): Promise<KubeObject | undefined>;
  list(): Promise<KubeObject[]>;
}

/**
 * The newest of the classes marked default (kube sorts by creationTimestamp, newest first, then by name), as
 * volume/util.GetDefaultClass and defaultingressclass's getDefaultClass both pick.
 */
export function newestDefault(classes: KubeObject[], isDefault: (c: KubeObject) => boolean): KubeObject | undefined {
  const defaults = classes.filter(isDefault);
  const time = (c: KubeObject) => Date.parse(c.metadata?.creationTimestamp ?? '') || 0;
  const name = (c: KubeObject) => String(c.metadata?.name ?? '');
  // Go compares names bytewise.
  defaults.sort((x, y) => time(y) - time(x) || (name(x) < name(y) ? -1 : name(x) > name(y) ? 1 : 0));
  return defaults[0];
}

export class DefaultStorageClass implements AdmissionPlugin {
  readonly name = 'DefaultStorageClass';
  constructor(private readonly classes: ClassReader) {}

  async admit(a: AdmissionAttributes): Promise<boolean | void> {
    if (!isMainResource(a, '', 'persistentvolumeclaims') || a.operation !== 'CREATE' || !a.object) return;
    const pvc = a.object;
    // helper.PersistentVolumeClaimHasClass: the beta annotation, or spec.storageClassName set (even to "").
    if (Object.hasOwn(pvc.metadata?.annotations ?? {}, BETA_CLASS_ANNOTATION) || pvc.spec?.storageClassName != null) return;
    const def = newestDefault(await this.classes.list(), (c) => {
      const annotations = c.metadata?.annotations ?? {};
      return annotations[IS_DEFAULT_ANNOTATION] === 'true' || annotations[BETA_IS_DEFAULT_ANNOTATION] === 'true';
    });
    if (!def) return;
    (pvc.spec ??= {}).storageClassName = def.metadata?.name;
    return true;
  }
}

export const storageObjectInUseProtection: AdmissionPlugin = {
  name: 'StorageObjectInUseProtection',
  admit(a: AdmissionAttributes): boolean | void {
    if (a.operation !== 'CREATE' || a.subresource !== '' || a.resource.group !== '' || !a.object) return;
    const finalizer =
      a.resource.resource === 'persistentvolumes'
        ? PV_PROTECTION_FINALIZER
        : a.resource.resource === 'persistentvolumeclaims'
          ? PVC_PROTECTION_FINALIZER
          : undefined;
    if (!finalizer) return;
    const meta = (a.object.metadata ??= {});
    const finalizers: string[] = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    if (finalizers.includes(finalizer)) return;
    meta.finalizers = [...finalizers, finalizer];
    return true;
  },
};

export class PersistentVolumeClaimResize implements AdmissionPlugin {
  readonly name = 'PersistentVolumeClaimResize';
  constructor(private readonly classes: ClassReader) {}

  async validate(a: AdmissionAttributes): Promise<void> {
    if (!isMainResource(a, '', 'persistentvolumeclaims') || a.operation !== 'UPDATE' || !a.object || !a.oldObject) return;
    const pvc = a.object;
    const old = a.oldObject;
    const size = (o: KubeObject) => parseQuantity(o.spec?.resources?.requests?.storage ?? '0') ?? parseQuantity('0')!;
    if (compareQuantity(size(pvc), size(old)) <= 0) return;
    if (old.status?.phase !== 'Bound') throw admissionForbidden(a, 'Only bound persistent volume claims can be expanded');
    if (!(await this.allowResize(pvc, old))) {
      throw admissionForbidden(
        a,
        'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
      );
    }
  }

  /** The same class before and after, and that class says allowVolumeExpansion: true. */
  private async allowResize(pvc: KubeObject, old: KubeObject): Promise<boolean> {
    const name = claimClass(pvc);
    if (name === '' || name !== claimClass(old)) return false;
    const sc = await this.classes.get(name);
    return sc?.allowVolumeExpansion === true;
  }
}

/** helper.GetPersistentVolumeClaimClass: the beta annotation first, then spec.storageClassName. */
function claimClass(pvc: KubeObject): string {
  const annotations = pvc.metadata?.annotations ?? {};
  if (Object.hasOwn(annotations, BETA_CLASS_ANNOTATION)) return String(annotations[BETA_CLASS_ANNOTATION]);
  return pvc.spec?.storageClassName ?? '';
}
