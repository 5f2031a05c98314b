// The authentication flags (k8s.io/kubernetes/pkg/kubeapiserver/options/authentication.go): today
// --token-auth-file, loaded into the static tokens the authenticator checks, --client-ca-file and --anonymous-auth.

import { readFile } from 'node:fs/promises';
import { parseTokenFile } from '../../authentication/tokenfile.js';
import type { KgateConfig } from '../config.js';
import { boolFlag, stringFlag, type FlagSpec } from './flag.js';

export interface AuthenticationOptions {
  tokenAuthFile: string;
  clientCAFile: string;
  anonymousAuth: boolean;
}

export const AUTHENTICATION_DEFAULTS: Readonly<AuthenticationOptions> = Object.freeze({
  tokenAuthFile: '',
  clientCAFile: '',
  anonymousAuth: true,
});

export const AUTHENTICATION_FLAGS: readonly FlagSpec<AuthenticationOptions>[] = [
  stringFlag(
    {
      name: 'token-auth-file',
      section: 'Authentication',
      usage: 'If set, the file that will be used to secure the secure port of the API server via token authentication.',
    },
    'tokenAuthFile',
    AUTHENTICATION_DEFAULTS,
  ),
  stringFlag(
    {
      name: 'client-ca-file',
      section: 'Authentication',
      usage:
        'If set, any request presenting a client certificate signed by one of the authorities in the client-ca-file ' +
        'is authenticated with an identity corresponding to the CommonName of the client certificate.',
    },
    'clientCAFile',
    AUTHENTICATION_DEFAULTS,
  ),
  boolFlag(
    {
      name: 'anonymous-auth',
      section: 'Authentication',
      usage:
        'Enables anonymous requests to the secure port of the API server. Requests that are not rejected by another ' +
        'authentication method are treated as anonymous requests. Anonymous requests have a username of ' +
        'system:anonymous, and a group name of system:unauthenticated.',
    },
    'anonymousAuth',
    AUTHENTICATION_DEFAULTS,
  ),
];

/** Reads --token-auth-file; `warn` hears kube-apiserver's warnings about empty and duplicate tokens. */
export async function loadAuthenticationConfig(
  options: AuthenticationOptions,
  warn: (message: string) => void,
): Promise<KgateConfig['authentication']> {
  const tokens =
    options.tokenAuthFile === ''
      ? []
      : parseTokenFile(await readFile(options.tokenAuthFile, 'utf8'), { source: options.tokenAuthFile, warn });
  const clientCA = options.clientCAFile === '' ? undefined : await readFile(options.clientCAFile);
  return { tokens, anonymous: options.anonymousAuth, ...(clientCA && { clientCA }) };
}
