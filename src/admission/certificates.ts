// kube-apiserver's admission plugins for CertificateSigningRequests (plugin/pkg/admission/certificates/approval,
// signing and subjectrestriction, with pkg/certauthorization's IsAuthorizedForSignerName):
// - CertificateApproval: an update of `/approval` needs `approve` on certificates.k8s.io `signers` named after the
//   stored request's signerName, or its domain's wildcard `<domain>/*`;
// - CertificateSigning: an update of `/status` that changes the certificate or the conditions needs `sign` the same way;
// - CertificateSubjectRestriction: a request for the kubernetes.io/kube-apiserver-client signer may not ask for the
//   system:masters organization.
// The plugins ask kgate's authorizer chain through the callback they are given (admission does not see the chain).
import { forbidden, type StatusError } from '../apimachinery/errors.js';
import { deepEqual } from '../apimachinery/objects.js';
import { parseCSR } from '../apimachinery/pkcs10.js';
import type { UserInfo } from '../apimachinery/user.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';

const GROUP = 'certificates.k8s.io';
const RESOURCE = 'certificatesigningrequests';
const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

/** Whether the authorizer chain allows `verb` on certificates.k8s.io/signers named `name` (apiVersion "*"). */
export type SignerAuthorizer = (user: UserInfo, verb: string, name: string) => Promise<boolean>;

function isCSR(a: AdmissionAttributes): boolean {
  return a.resource.group === GROUP && a.resource.resource === RESOURCE;
}

/** admission.NewForbidden: the resource and the request's name (else the object's), with the plugin's reason. */
function admissionForbidden(a: AdmissionAttributes, reason: string): StatusError {
  const name = a.name || a.object?.metadata?.name || a.object?.metadata?.generateName || 'Unknown';
  return forbidden({ group: GROUP, resource: RESOURCE }, name, reason);
}

/** IsAuthorizedForSignerName: the signer by name, then its domain's wildcard. */
async function authorizedForSigner(
  authorize: SignerAuthorizer,
  user: UserInfo | undefined,
  verb: string,
  signerName: string,
): Promise<boolean> {
  if (!user) return false;
  if (await authorize(user, verb, signerName)) return true;
  return authorize(user, verb, `${signerName.split('/')[0]}/*`);
}

export class CertificateApproval implements AdmissionPlugin {
  readonly name = 'CertificateApproval';
  constructor(private readonly authorize: SignerAuthorizer) {}

  async validate(a: AdmissionAttributes): Promise<void> {
    if (a.operation !== 'UPDATE' || a.subresource !== 'approval' || !isCSR(a)) return;
    // The stored signerName counts, in case the update tries to change it.
    const signerName: string = a.oldObject?.spec?.signerName ?? '';
    if (!(await authorizedForSigner(this.authorize, a.user, 'approve', signerName))) {
      throw admissionForbidden(a, `user not permitted to approve requests with signerName ${JSON.stringify(signerName)}`);
    }
  }
}

export class CertificateSigning implements AdmissionPlugin {
  readonly name = 'CertificateSigning';
  constructor(private readonly authorize: SignerAuthorizer) {}

  async validate(a: AdmissionAttributes): Promise<void> {
    if (a.operation !== 'UPDATE' || a.subresource !== 'status' || !isCSR(a)) return;
    const before = a.oldObject?.status ?? {};
    const after = a.object?.status ?? {};
    // Only a change of the certificate or the conditions needs the signer's permission.
    if ((before.certificate ?? '') === (after.certificate ?? '') && deepEqual(before.conditions ?? [], after.conditions ?? [])) return;
    const signerName: string = a.oldObject?.spec?.signerName ?? '';
    if (!(await authorizedForSigner(this.authorize, a.user, 'sign', signerName))) {
      throw admissionForbidden(a, `user not permitted to sign requests with signerName ${JSON.stringify(signerName)}`);
    }
  }
}

export class CertificateSubjectRestriction implements AdmissionPlugin {
  readonly name = 'CertificateSubjectRestriction';

  async validate(a: AdmissionAttributes): Promise<void> {
    if (a.operation !== 'CREATE' || a.subresource !== '' || !isCSR(a)) return;
    const spec = a.object?.spec ?? {};
    if (spec.signerName !== KUBE_APISERVER_CLIENT_SIGNER) return;
    let organizations: string[];
    try {
      organizations = parseCSR(Buffer.from(String(spec.request ?? ''), 'base64').toString('latin1')).subject.organizations;
    } catch (e) {
      throw admissionForbidden(a, `failed to parse CSR: ${(e as Error).message}`);
    }
    if (organizations.includes('system:masters')) {
      throw admissionForbidden(a, `use of ${KUBE_APISERVER_CLIENT_SIGNER} signer with system:masters group is not allowed`);
    }
  }
}
