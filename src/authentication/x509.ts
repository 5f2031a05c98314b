// X.509 client certificates (k8s.io/apiserver/pkg/authentication/request/x509 with --client-ca-file): a certificate
// the TLS handshake verified against the client CA names the user in its Subject's CommonName and the groups in its
// Organizations, with the certificate's SHA-256 as its credential ID in extra (CommonNameUserConversion). The TLS
// listener asks for a certificate but accepts the connection without one (Go's VerifyClientCertIfGiven); a
// certificate it could not verify makes the request a 401.
import type { AuthResult, Authenticator, RequestCredentials } from './index.js';

export class X509Authenticator implements Authenticator {
  authenticate(creds: RequestCredentials): AuthResult {
    const cert = creds.clientCertificate;
    if (!cert) return { kind: 'none' };
    if (!cert.verified || cert.commonName === '') return { kind: 'rejected' };
    const groups = [...cert.organizations];
    if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
    const extra = { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${cert.sha256}`] };
    return { kind: 'authenticated', user: { name: cert.commonName, uid: '', groups, extra } };
  }
}
