// admission.NewForbidden (k8s.io/apiserver/pkg/admission/errors.go): a plugin's refusal names the object by the
// request's name, else the object's name, else its generateName, else "Unknown".
import { forbidden, type StatusError } from '../apimachinery/errors.js';
import type { AdmissionAttributes } from './index.js';

export function admissionForbidden(a: AdmissionAttributes, reason: string): StatusError {
  const name = a.name || a.object?.metadata?.name || a.object?.metadata?.generateName || 'Unknown';
  return forbidden({ group: a.resource.group, resource: a.resource.resource }, name, reason);
}

/** Whether the request is for `group/resource` itself (no subresource). */
export function isMainResource(a: AdmissionAttributes, group: string, resource: string): boolean {
  return a.resource.group === group && a.resource.resource === resource && a.subresource === '';
}
