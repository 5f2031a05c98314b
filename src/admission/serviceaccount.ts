// ServiceAccount admission (plugin/pkg/admission/serviceaccount/admission.go): a new pod runs as its namespace's
// `default` ServiceAccount unless it names one, the account must exist, and the pod gets the projected token volume
// (`kube-api-access-<5 random>`: a bound token, the cluster CA ConfigMap and the namespace) mounted into every init
// and regular container unless automounting is off. Mirror pods (the kubelet's static pods) may use no account,
// no secrets and no token projection. An account annotated `kubernetes.io/enforce-mountable-secrets: "true"` limits
// the pod's secret volumes, env references and image pull secrets to the ones it lists.
import { parseGoBool } from '../apimachinery/strconv.js';
import { randomSuffix } from '../apimachinery/names.js';
import { podSecretNames } from '../apimachinery/podrefs.js';
import type { KubeObject } from '../apimachinery/meta.js';
import { admissionForbidden } from './errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';

export const DEFAULT_SERVICE_ACCOUNT_NAME = 'default';
const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const VOLUME_PREFIX = 'kube-api-access-';
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: an hour and 7 seconds, so kubelets' refreshes can be told apart. */
const TOKEN_EXPIRATION_SECONDS = 3607;
/** corev1.ProjectedVolumeSourceDefaultMode (0644). */
const PROJECTED_DEFAULT_MODE = 420;
/** The default account is looked up ten times (its controller may be a moment behind a new namespace); others once. */
const DEFAULT_ACCOUNT_ATTEMPTS = 10;

export interface ServiceAccountReader {
  /** From the cache as an informer's lister would; undefined when it holds none. */
  cached(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** A live read (kube's client GET); undefined when the account does not exist. */
  live(namespace: string, name: string): Promise<KubeObject | undefined>;
}

export interface ServiceAccountOptions {
  /** The pause between live lookups of `default` (kube: a random 100-200ms). */
  retryDelayMs?: () => number;
  /** The 5-character volume name suffix (kube's SimpleNameGenerator). */
  suffix?: () => string;
}

export class ServiceAccountAdmission implements AdmissionPlugin {
  readonly name = 'ServiceAccount';
  constructor(
    private readonly accounts: ServiceAccountReader,
    private readonly options: ServiceAccountOptions = {},
  ) {}

  async admit(a: AdmissionAttributes): Promise<boolean | void> {
    if (ignored(a) || a.operation !== 'CREATE') return;
    const pod = a.object!;
    if (isMirrorPod(pod)) return this.validate(a);
    const spec = (pod.spec ??= {});
    if (!spec.serviceAccountName) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT_NAME;
    const account = await this.lookUp(a, spec.serviceAccountName);
    if (shouldAutomount(account, pod)) this.mountToken(pod);
    const pullSecrets: any[] = Array.isArray(account.imagePullSecrets) ? account.imagePullSecrets : [];
    if (!(Array.isArray(spec.imagePullSecrets) && spec.imagePullSecrets.length > 0) && pullSecrets.length > 0) {
      spec.imagePullSecrets = pullSecrets.map((s) => ({ name: s?.name ?? '' }));
    }
    await this.validate(a);
    return true;
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    if (ignored(a)) return;
    const pod = a.object!;
    if (a.operation === 'UPDATE' && a.subresource === 'ephemeralcontainers') return this.validateEphemeral(a, pod);
    if (a.operation !== 'CREATE') return;
    if (isMirrorPod(pod)) {
      if (pod.spec?.serviceAccountName) throw admissionForbidden(a, 'a mirror pod may not reference service accounts');
      if (podSecretNames(pod).length > 0) throw admissionForbidden(a, 'a mirror pod may not reference secrets');
      for (const v of pod.spec?.volumes ?? []) {
        for (const source of v?.projected?.sources ?? []) {
          if (source?.serviceAccountToken) throw admissionForbidden(a, 'a mirror pod may not use ServiceAccountToken volume projections');
        }
      }
      return;
    }
    const accountName: string = pod.spec?.serviceAccountName ?? '';
    if (!accountName) throw admissionForbidden(a, `no service account specified for pod ${a.namespace}/${pod.metadata?.name ?? ''}`);
    const account = await this.lookUp(a, accountName);
    if (enforcesMountableSecrets(account)) {
      const reason = secretReferenceViolation(account, pod);
      if (reason) throw admissionForbidden(a, reason);
    }
  }

  private async validateEphemeral(a: AdmissionAttributes, pod: KubeObject): Promise<void> {
    const accountName: string = pod.spec?.serviceAccountName ?? '';
    if (!accountName) throw admissionForbidden(a, `no service account specified for pod ${a.namespace}/${pod.metadata?.name ?? ''}`);
    const account = await this.lookUp(a, accountName);
    if (!enforcesMountableSecrets(account)) return;
    const mountable = new Set(secretNames(account.secrets));
    for (const c of pod.spec?.ephemeralContainers ?? []) {
      const reason = containerSecretViolation(c, mountable, account, 'ephemeral container');
      if (reason) throw admissionForbidden(a, reason);
    }
  }

  /** getServiceAccount: the cache, then live reads (ten for `default`); kube's NotFound text when none answers. */
  private async lookUp(a: AdmissionAttributes, name: string): Promise<KubeObject> {
    const found =
      (await this.accounts.cached(a.namespace, name)) ??
      (await (async () => {
        const attempts = name === DEFAULT_SERVICE_ACCOUNT_NAME ? DEFAULT_ACCOUNT_ATTEMPTS : 1;
        const delay = this.options.retryDelayMs?.() ?? 100 + Math.floor(Math.random() * 100);
        for (let i = 0; i < attempts; i++) {
          if (i > 0) await new Promise((resolve) => setTimeout(resolve, delay));
          const account = await this.accounts.live(a.namespace, name);
          if (account) return account;
        }
        return undefined;
      })());
    if (!found) {
      throw admissionForbidden(a, `error looking up service account ${a.namespace}/${name}: serviceaccount "${name}" not found`);
    }
    return found;
  }

  /** mountServiceAccountToken: one token volume (an existing `kube-api-access-*` one is reused), mounted read-only. */
  private mountToken(pod: KubeObject): void {
    const spec = pod.spec;
    const volumes: any[] = Array.isArray(spec.volumes) ? spec.volumes : [];
    const existing = volumes.find((v) => typeof v?.name === 'string' && v.name.startsWith(VOLUME_PREFIX));
    const volumeName: string = existing?.name ?? VOLUME_PREFIX + (this.options.suffix?.() ?? randomSuffix());
    let needsVolume = false;
    for (const field of ['initContainers', 'containers']) {
      for (const c of Array.isArray(spec[field]) ? spec[field] : []) {
        const mounts: any[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
        if (mounts.some((m) => m?.mountPath === TOKEN_MOUNT_PATH)) continue;
        c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
        needsVolume = true;
      }
    }
    if (!existing && needsVolume) spec.volumes = [...volumes, { name: volumeName, projected: tokenVolumeSource() }];
  }
}

/** serviceaccount.TokenVolumeSource. */
function tokenVolumeSource(): KubeObject {
  return {
    sources: [
      { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
    defaultMode: PROJECTED_DEFAULT_MODE,
  };
}

/** Pods only, the main resource or ephemeralcontainers, with an object. */
function ignored(a: AdmissionAttributes): boolean {
  if (a.resource.group !== '' || a.resource.resource !== 'pods') return true;
  if (a.subresource !== '' && a.subresource !== 'ephemeralcontainers') return true;
  return a.object === undefined;
}

function isMirrorPod(pod: KubeObject): boolean {
  return Object.hasOwn(pod.metadata?.annotations ?? {}, MIRROR_POD_ANNOTATION);
}

/** The pod's choice, else the account's, else mount. */
function shouldAutomount(account: KubeObject, pod: KubeObject): boolean {
  if (typeof pod.spec?.automountServiceAccountToken === 'boolean') return pod.spec.automountServiceAccountToken;
  if (typeof account.automountServiceAccountToken === 'boolean') return account.automountServiceAccountToken;
  return true;
}

/** The annotation, read as Go's strconv.ParseBool (anything unparsable is false). */
function enforcesMountableSecrets(account: KubeObject): boolean {
  const value = account.metadata?.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION];
  return typeof value === 'string' && parseGoBool(value) === true;
}

function secretNames(refs: unknown): string[] {
  return Array.isArray(refs) ? refs.map((r) => String(r?.name ?? '')) : [];
}

/** limitSecretReferences: the first reference outside the account's lists, as kube words it. */
function secretReferenceViolation(account: KubeObject, pod: KubeObject): string | undefined {
  const accountName: string = account.metadata?.name ?? '';
  const mountable = new Set(secretNames(account.secrets));
  for (const v of pod.spec?.volumes ?? []) {
    if (!v?.secret) continue;
    const secretName = v.secret.secretName ?? '';
    if (!mountable.has(secretName)) {
      return `volume with secret.secretName="${secretName}" is not allowed because service account ${accountName} does not reference that secret`;
    }
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const reason = containerSecretViolation(c, mountable, account, 'init container');
    if (reason) return reason;
  }
  for (const c of pod.spec?.containers ?? []) {
    const reason = containerSecretViolation(c, mountable, account, 'container');
    if (reason) return reason;
  }
  const pullSecrets = new Set(secretNames(account.imagePullSecrets));
  const refs: any[] = Array.isArray(pod.spec?.imagePullSecrets) ? pod.spec.imagePullSecrets : [];
  for (const [i, ref] of refs.entries()) {
    if (!pullSecrets.has(ref?.name ?? '')) {
      return `imagePullSecrets[${i}].name="${ref?.name ?? ''}" is not allowed because service account ${accountName} does not reference that imagePullSecret`;
    }
  }
  return undefined;
}

function containerSecretViolation(c: any, mountable: Set<string>, account: KubeObject, what: string): string | undefined {
  const accountName: string = account.metadata?.name ?? '';
  for (const env of c?.env ?? []) {
    const ref = env?.valueFrom?.secretKeyRef;
    if (ref && !mountable.has(ref.name ?? '')) {
      return `${what} ${c.name} with envVar ${env.name} referencing secret.secretName="${ref.name ?? ''}" is not allowed because service account ${accountName} does not reference that secret`;
    }
  }
  for (const from of c?.envFrom ?? []) {
    const ref = from?.secretRef;
    if (ref && !mountable.has(ref.name ?? '')) {
      return `${what} ${c.name} with envFrom referencing secret.secretName="${ref.name ?? ''}" is not allowed because service account ${accountName} does not reference that secret`;
    }
  }
  return undefined;
}
