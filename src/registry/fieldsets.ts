// The field set a fieldSelector is matched against, per kind (each kind's GetAttrs / ToSelectableFields in
// pkg/registry/<group>/<kind>/strategy.go). Values are strings; booleans are "true"/"false".
import type { KubeObject } from '../storage/interface.js';
import type { ResourceInfo } from '../scheme/index.js';

type FieldGetter = (obj: KubeObject) => string;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const path = (...segs: string[]): FieldGetter => (obj) => {
  let cur: any = obj;
  for (const s of segs) {
    if (cur === undefined || cur === null) return '';
    cur = cur[s];
  }
  return str(cur);
};
const bool = (...segs: string[]): FieldGetter => (obj) => (path(...segs)(obj) === 'true' ? 'true' : 'false');

const PER_RESOURCE: Record<string, Record<string, FieldGetter>> = {
  '/pods': {
    'spec.nodeName': path('spec', 'nodeName'),
    'spec.restartPolicy': path('spec', 'restartPolicy'),
    'spec.schedulerName': path('spec', 'schedulerName'),
    'spec.serviceAccountName': path('spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => (o.spec?.securityContext?.hostNetwork ?? o.spec?.hostNetwork ? 'true' : 'false'),
    'status.phase': path('status', 'phase'),
    'status.podIP': (o) => str(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP),
    'status.nominatedNodeName': path('status', 'nominatedNodeName'),
  },
  '/namespaces': { 'status.phase': path('status', 'phase'), name: path('metadata', 'name') },
  '/services': { 'spec.clusterIP': path('spec', 'clusterIP'), 'spec.type': path('spec', 'type') },
  '/secrets': { type: path('type') },
  '/nodes': { 'spec.unschedulable': bool('spec', 'unschedulable') },
  '/replicationcontrollers': { 'status.replicas': (o) => str(o.status?.replicas ?? 0) },
  'apps/replicasets': { 'status.replicas': (o) => str(o.status?.replicas ?? 0) },
  'batch/jobs': { 'status.successful': (o) => str(o.status?.succeeded ?? 0) },
  '/events': {
    'involvedObject.kind': path('involvedObject', 'kind'),
    'involvedObject.namespace': path('involvedObject', 'namespace'),
    'involvedObject.name': path('involvedObject', 'name'),
    'involvedObject.uid': path('involvedObject', 'uid'),
    'involvedObject.apiVersion': path('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': path('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': path('involvedObject', 'fieldPath'),
    reason: path('reason'),
    reportingComponent: path('reportingComponent'),
    source: (o) => str(o.source?.component || o.reportingComponent),
    type: path('type'),
  },
  'events.k8s.io/events': {
    'regarding.kind': path('regarding', 'kind'),
    'regarding.namespace': path('regarding', 'namespace'),
    'regarding.name': path('regarding', 'name'),
    'regarding.uid': path('regarding', 'uid'),
    'regarding.apiVersion': path('regarding', 'apiVersion'),
    'regarding.resourceVersion': path('regarding', 'resourceVersion'),
    'regarding.fieldPath': path('regarding', 'fieldPath'),
    reason: path('reason'),
    reportingController: path('reportingController'),
    type: path('type'),
  },
  'certificates.k8s.io/certificatesigningrequests': { 'spec.signerName': path('spec', 'signerName') },
};

export interface FieldSet {
  /** The labels a fieldSelector may name for this resource. */
  readonly labels: readonly string[];
  /** Legacy labels the kind's conversion renames (Pods' spec.host → spec.nodeName). */
  readonly renames?: Readonly<Record<string, string>>;
  /** The object's values for those labels. */
  fieldsOf(obj: KubeObject): Record<string, string>;
}

export function fieldSetFor(info: ResourceInfo): FieldSet {
  const extra = PER_RESOURCE[`${info.group}/${info.resource}`] ?? {};
  const labels = ['metadata.name', ...(info.namespaced ? ['metadata.namespace'] : []), ...Object.keys(extra)];
  const renames = info.group === '' && info.resource === 'pods' ? { 'spec.host': 'spec.nodeName' } : undefined;
  return {
    labels,
    renames,
    fieldsOf(obj: KubeObject): Record<string, string> {
      const out: Record<string, string> = { 'metadata.name': str(obj.metadata?.name) };
      if (info.namespaced) out['metadata.namespace'] = str(obj.metadata?.namespace);
      for (const [label, get] of Object.entries(extra)) out[label] = get(obj);
      return out;
    },
  };
}
