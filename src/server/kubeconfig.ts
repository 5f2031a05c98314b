// The admin kubeconfig `make run` hands to kubectl: one cluster, one token user, one current context.

import { chmod, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface AdminKubeconfig {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  /** PEM of the CA that signed the serving certificate. */
  caCert: string | Buffer;
  token: string;
}

export const KUBECONFIG_CLUSTER = 'kgate';
export const KUBECONFIG_USER = 'kgate-admin';
export const KUBECONFIG_CONTEXT = 'kgate';

export function renderKubeconfig(input: AdminKubeconfig): string {
  const caData = Buffer.from(input.caCert).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: KUBECONFIG_CLUSTER, cluster: { server: input.server, 'certificate-authority-data': caData } }],
    users: [{ name: KUBECONFIG_USER, user: { token: input.token } }],
    contexts: [
      {
        name: KUBECONFIG_CONTEXT,
        context: { cluster: KUBECONFIG_CLUSTER, user: KUBECONFIG_USER, namespace: 'default' },
      },
    ],
    'current-context': KUBECONFIG_CONTEXT,
    preferences: {},
  });
}

/** Written 0600: it holds a bearer token. */
export async function writeKubeconfig(path: string, input: AdminKubeconfig): Promise<void> {
  await writeFile(path, renderKubeconfig(input), { mode: 0o600 });
  // The mode above only applies when the file is created.
  await chmod(path, 0o600);
}
