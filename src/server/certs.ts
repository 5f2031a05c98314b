// A development PKI the way kube-apiserver's --cert-dir fallback builds one: a CA plus a serving certificate it
// signs, where apiserver.crt holds the chain (serving cert, then CA) and ca.crt lets kubeconfigs trust it.

import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface CertificateFiles {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
}

export interface ServingCertificates {
  /** PEM of the CA certificate clients should trust. */
  caCert: string;
  /** PEM chain: serving certificate followed by the CA. */
  servingCertChain: string;
  /** PEM (PKCS#8) private key of the serving certificate. */
  servingKey: string;
  files: CertificateFiles;
  /** What this call had to create; empty when everything was reused. */
  generated: Array<'ca' | 'serving'>;
}

export interface CertificateOptions {
  /** Extra SANs beyond 127.0.0.1, ::1, localhost and the machine's hostname; IPs and DNS names may be mixed. */
  extraNames?: string[];
  /** Clock used for validity windows; tests may pin it. */
  now?: Date;
}

const CA_COMMON_NAME = 'kgate-ca';
const SERVING_COMMON_NAME = 'kgate-apiserver';
const CA_LIFETIME_DAYS = 3650;
const SERVING_LIFETIME_DAYS = 365;
/** Regenerate a reused serving certificate that expires sooner than this, so a long-lived dev home keeps working. */
const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;
const KEY_OPTIONS = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

export function certificateFiles(dir: string): CertificateFiles {
  return {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
  };
}

/** The names a local serving certificate must cover. */
export function servingNames(extraNames: readonly string[] = []): string[] {
  return [...new Set(['127.0.0.1', '::1', 'localhost', hostname(), ...extraNames].filter((name) => name !== ''))];
}

/**
 * Reads the certificates in `dir`, creating whatever is missing: a CA (reused when ca.crt and ca.key exist) and a
 * serving certificate (reused while it is valid and covers every requested name).
 */
export async function ensureCertificates(dir: string, options: CertificateOptions = {}): Promise<ServingCertificates> {
  const files = certificateFiles(dir);
  const now = options.now ?? new Date();
  const names = servingNames(options.extraNames);
  const generated: Array<'ca' | 'serving'> = [];
  await mkdir(dir, { recursive: true, mode: 0o700 });

  let ca = await readPair(files.caCert, files.caKey);
  if (!ca) {
    ca = await generateCa(now);
    await writePair(files.caCert, ca.cert, files.caKey, ca.key);
    generated.push('ca');
  }

  let serving = await readPair(files.servingCert, files.servingKey);
  if (!serving || generated.includes('ca') || !servingCertificateFits(serving.cert, names, now)) {
    serving = await generateServing(ca, names, now);
    await writePair(files.servingCert, serving.cert, files.servingKey, serving.key);
    generated.push('serving');
  }

  return { caCert: ca.cert, servingCertChain: serving.cert, servingKey: serving.key, files, generated };
}

interface PemPair {
  cert: string;
  key: string;
}

async function generateCa(now: Date): Promise<PemPair> {
  const result = await selfsigned.generate([{ name: 'commonName', value: CA_COMMON_NAME }], {
    ...KEY_OPTIONS,
    notBeforeDate: backdated(now),
    notAfterDate: daysAfter(now, CA_LIFETIME_DAYS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: result.cert, key: result.private };
}

async function generateServing(ca: PemPair, names: readonly string[], now: Date): Promise<PemPair> {
  const result = await selfsigned.generate([{ name: 'commonName', value: SERVING_COMMON_NAME }], {
    ...KEY_OPTIONS,
    notBeforeDate: backdated(now),
    notAfterDate: daysAfter(now, SERVING_LIFETIME_DAYS),
    ca: { cert: ca.cert, key: ca.key },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })),
      },
    ],
  });
  // The chain lets clients that only trust the CA verify the leaf without fetching anything.
  return { cert: `${result.cert.trimEnd()}\n${firstCertificate(ca.cert).trimEnd()}\n`, key: result.private };
}

function servingCertificateFits(chainPem: string, names: readonly string[], now: Date): boolean {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(firstCertificate(chainPem));
  } catch {
    return false;
  }
  if (new Date(certificate.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
  return names.every((name) => (isIP(name) ? certificate.checkIP(name) !== undefined : certificate.checkHost(name) !== undefined));
}

function firstCertificate(pem: string): string {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new Error('no PEM certificate found');
  return `${match[0]}\n`;
}

async function readPair(certPath: string, keyPath: string): Promise<PemPair | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    return { cert, key };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writePair(certPath: string, cert: string, keyPath: string, key: string): Promise<void> {
  await writeFile(keyPath, key, { mode: 0o600 });
  await writeFile(certPath, cert, { mode: 0o644 });
}

/** A minute of slack so clocks that run slightly behind still accept a fresh certificate. */
function backdated(now: Date): Date {
  return new Date(now.getTime() - 60_000);
}

function daysAfter(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}

export interface ClientCertificateRequest {
  /** The user: the certificate's CommonName. */
  user: string;
  /** The groups: one Organization each. */
  groups?: string[];
  now?: Date;
  /** Default 365. */
  days?: number;
}

/**
 * A client certificate signed by the CA in `dir` (as `kubeadm kubeconfig user` issues one), for kubeconfigs that
 * authenticate with --client-ca-file pointing at that CA.
 */
export async function issueClientCertificate(dir: string, req: ClientCertificateRequest): Promise<{ cert: string; key: string }> {
  const files = certificateFiles(dir);
  const ca = await readPair(files.caCert, files.caKey);
  if (!ca) throw new Error(`no CA in ${dir}`);
  const now = req.now ?? new Date();
  const result = await selfsigned.generate(
    [{ name: 'commonName', value: req.user }, ...(req.groups ?? []).map((g) => ({ name: 'organizationName', value: g }))],
    {
      ...KEY_OPTIONS,
      notBeforeDate: backdated(now),
      notAfterDate: daysAfter(now, req.days ?? SERVING_LIFETIME_DAYS),
      ca: { cert: ca.cert, key: ca.key },
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ],
    },
  );
  return { cert: result.cert, key: result.private };
}
