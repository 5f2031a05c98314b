// What `make run` needs in its home folder, created once and then reused: a development PKI, a token file with an
// admin in system:masters, a ServiceAccount token signing key pair (pki/sa.key, pki/sa.pub, for
// --service-account-signing-key-file and --service-account-key-file), and a kubeconfig that trusts the CA and
// carries that admin's token.

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTokenFile, renderTokenFile } from '../authentication/tokenfile.js';
import { ensureCertificates } from './certs.js';
import { writeKubeconfig } from './kubeconfig.js';

const ADMIN_USER = 'kgate-admin';
const ADMIN_GROUP = 'system:masters';

/**
 * Prepares <home> (pki/, tokens.csv, kubeconfig) for a server on https://127.0.0.1:<port>. Returns what this call
 * had to generate ("ca certificate", "service-account signing key", ...); empty when everything was reused.
 */
export async function prepareDevHome(home: string, port: number): Promise<string[]> {
  const certificates = await ensureCertificates(join(home, 'pki'));
  const token = await ensureAdminToken(join(home, 'tokens.csv'));
  const saKey = await ensureServiceAccountKey(join(home, 'pki'));
  await writeKubeconfig(join(home, 'kubeconfig'), {
    server: `https://127.0.0.1:${port}`,
    caCert: certificates.caCert,
    token,
  });
  return [...certificates.generated.map((c) => `${c} certificate`), ...(saKey ? ['service-account signing key'] : [])];
}

/** Creates pki/sa.key (RSA, PKCS#1 as `openssl genrsa` writes it) and pki/sa.pub unless sa.key exists; true when created. */
async function ensureServiceAccountKey(pki: string): Promise<boolean> {
  try {
    await readFile(join(pki, 'sa.key'));
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(join(pki, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(join(pki, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  return true;
}

/** The admin's token from the token file, appending a new admin line (and creating the file) when there is none. */
async function ensureAdminToken(path: string): Promise<string> {
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const admin = text === undefined ? undefined : parseTokenFile(text, { source: path }).find((t) => t.user === ADMIN_USER);
  if (admin) return admin.token;
  const created = { token: randomBytes(24).toString('base64url'), user: ADMIN_USER, uid: randomUUID(), groups: [ADMIN_GROUP] };
  await writeFile(path, `${text ?? ''}${renderTokenFile([created])}`, { mode: 0o600 });
  return created.token;
}
