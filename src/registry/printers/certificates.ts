// Rows for certificates.k8s.io CertificateSigningRequests (kube pkg/printers/internalversion/printers.go:
// printCertificateSigningRequest and extractCSRStatus).
import { nameOf, str } from './format.js';
import { age, humanDuration } from './humanDuration.js';
import type { Json, Printer } from './types.js';

/** extractCSRStatus: Denied over Approved over Pending, then ",Failed" and ",Issued" when they apply. */
export function csrCondition(obj: Json): string {
  const types = new Set((Array.isArray(obj.status?.conditions) ? obj.status.conditions : []).map((c: Json) => c?.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (typeof obj.status?.certificate === 'string' && obj.status.certificate !== '') status += ',Issued';
  return status;
}

export const certificateSigningRequests: Printer = {
  columns: ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition'],
  cells: (obj, nowMs) => [
    nameOf(obj),
    age(obj, nowMs),
    str(obj.spec?.signerName) || '<none>',
    str(obj.spec?.username),
    typeof obj.spec?.expirationSeconds === 'number' ? humanDuration(obj.spec.expirationSeconds * 1000) : '<none>',
    csrCondition(obj),
  ],
};
