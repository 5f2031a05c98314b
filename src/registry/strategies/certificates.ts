// certificates.k8s.io CertificateSigningRequests (kube pkg/registry/certificates/certificates/strategy.go: the main
// strategy, the /status strategy and the /approval strategy). A create records who asked (spec.username, uid,
// groups, extra from the authenticated user, whatever the body said) and starts with no conditions; the main
// resource changes only metadata; /status may set the certificate and conditions other than Approved/Denied;
// /approval changes only the conditions. Who may approve or sign is admission's question (src/admission/).
import type { KubeObject } from '../../apimachinery/meta.js';
import { formatTime } from '../../apimachinery/time.js';
import { fieldPath } from '../fieldsets.js';
import { certificateSigningRequests as printer } from '../printers/certificates.js';
import { defineStrategy } from '../strategy.js';
import {
  validateCertificateSigningRequestApprovalUpdate,
  validateCertificateSigningRequestCreate,
  validateCertificateSigningRequestStatusUpdate,
  validateCertificateSigningRequestUpdate,
} from '../validation/certificates.js';

type Json = any;

function conditions(obj: KubeObject): Json[] {
  return Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
}

/** The stored spec, whatever the request sent (`newCSR.Spec = oldCSR.Spec`). */
function keepStoredSpec(obj: KubeObject, old: KubeObject): void {
  if (old.spec === undefined) delete obj.spec;
  else obj.spec = old.spec;
}

/** CSRs track no generation: requests cannot set one (BeforeUpdate keeps the stored value). */
function keepStoredGeneration(obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata!;
  if (old.metadata?.generation === undefined) delete meta.generation;
  else meta.generation = old.metadata.generation;
}

/** preserveConditionInstances: as many conditions of the type as stored means the stored ones, in their places. */
function preserveConditionInstances(obj: KubeObject, old: KubeObject, type: string): void {
  const oldOnes = conditions(old).filter((c) => c?.type === type);
  const newIndices = conditions(obj).flatMap((c, i) => (c?.type === type ? [i] : []));
  if (oldOnes.length !== newIndices.length) return;
  newIndices.forEach((at, i) => {
    obj.status.conditions[at] = oldOnes[i];
  });
}

/**
 * populateConditionTimestamps: a condition without lastUpdateTime gets now; one without lastTransitionTime keeps the
 * stored transition time of a condition with the same type and status, else now.
 */
function populateConditionTimestamps(obj: KubeObject, old: KubeObject): void {
  const now = formatTime();
  for (const c of conditions(obj)) {
    if (c === null || typeof c !== 'object') continue;
    if (!c.lastUpdateTime) c.lastUpdateTime = now;
    if (!c.lastTransitionTime) {
      const same = conditions(old).find((o) => o?.type === c.type && o?.status === c.status && o?.lastTransitionTime);
      c.lastTransitionTime = same ? same.lastTransitionTime : now;
    }
  }
}

export const certificateSigningRequests = defineStrategy({
  resource: 'certificates.k8s.io/certificatesigningrequests',
  // ValidateCertificateRequestName accepts any name; the generic create step then checks it as a path segment,
  // only once the kind's own validation has passed.
  nameValidation: 'path-segment',
  checksObjectMeta: false,
  replacesSchemaChecks: true,
  fieldLabels: { 'spec.signerName': fieldPath('spec', 'signerName') },
  printer,
  prepareForCreate(obj, _info, request) {
    const spec: Json = (obj.spec ??= {});
    delete spec.username;
    delete spec.uid;
    delete spec.groups;
    delete spec.extra;
    const user = request.user;
    if (user) {
      if (user.name) spec.username = user.name;
      if (user.uid) spec.uid = user.uid;
      if (user.groups.length > 0) spec.groups = [...user.groups];
      if (user.extra && Object.keys(user.extra).length > 0) spec.extra = structuredClone(user.extra);
    }
  },
  prepareForUpdate(obj, old) {
    keepStoredSpec(obj, old);
  },
  prepareForStatusUpdate(obj, old) {
    keepStoredSpec(obj, old);
    keepStoredGeneration(obj, old);
    if (obj.status === null || typeof obj.status !== 'object') obj.status = {};
    preserveConditionInstances(obj, old, 'Approved');
    preserveConditionInstances(obj, old, 'Denied');
    populateConditionTimestamps(obj, old);
  },
  prepareForSubresourceUpdate(subresource, obj, old) {
    if (subresource !== 'approval') return;
    populateConditionTimestamps(obj, old);
    const newConditions = obj.status?.conditions;
    keepStoredSpec(obj, old);
    keepStoredGeneration(obj, old);
    obj.status = { ...(old.status ?? {}) };
    if (newConditions === undefined) delete obj.status.conditions;
    else obj.status.conditions = newConditions;
  },
  validate: validateCertificateSigningRequestCreate,
  validateUpdate: validateCertificateSigningRequestUpdate,
  validateStatusUpdate: validateCertificateSigningRequestStatusUpdate,
  validateSubresourceUpdate: (subresource, obj, old) =>
    subresource === 'approval'
      ? validateCertificateSigningRequestApprovalUpdate(obj, old)
      : validateCertificateSigningRequestUpdate(obj, old),
});
