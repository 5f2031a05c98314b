// A small OpenID Connect issuer for tests: HTTPS on loopback with its own CA (the test PKI helper), serving
// /.well-known/openid-configuration and a JWKS, and signing ID tokens with jose. Keys can be added while it runs
// to exercise key rotation; it counts JWKS fetches.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { ensureCertificates } from '../../src/server/certs.js';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface TokenOptions {
  /** Default: the key given to startIssuer first. */
  key?: SigningKey;
  /** Seconds from now; negative for an expired token. Default 600. */
  expiresIn?: number;
  /** Written into the header instead of the key's own kid. */
  kid?: string;
}

export interface OIDCIssuer {
  /** https://127.0.0.1:<port>/<path> */
  url: string;
  /** The file holding the CA that signed the issuer's serving certificate (for --oidc-ca-file). */
  caFile: string;
  caCert: string;
  /** Keys the JWKS publishes. */
  published: SigningKey[];
  jwksFetches: number;
  /** Creates a key; it is published only when `publish` is true. */
  newKey(alg?: string, publish?: boolean): Promise<SigningKey>;
  /** Signs `claims` (iss defaults to this issuer, exp to 10 minutes from now). */
  sign(claims: JWTPayload, opts?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * `port` 0 picks a free one; a fixed port lets a test name the issuer before it is up. `pkiDir` reuses (or
 * creates) the CA there instead of a fresh one, so a CA file can be handed out before the issuer starts.
 */
export async function startIssuer(path = '/oidc', port = 0, pkiDir?: string): Promise<OIDCIssuer> {
  const home = await mkdtemp(join(tmpdir(), 'kgate-oidc-'));
  const pki = await ensureCertificates(pkiDir ?? join(home, 'pki'));
  const servers: Server[] = [];
  const issuer: OIDCIssuer = {
    url: '',
    caFile: pki.files.caCert,
    caCert: pki.caCert,
    published: [],
    jwksFetches: 0,
    async newKey(alg = 'RS256', publish = true) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const kid = randomBytes(6).toString('hex');
      const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
      const key = { kid, alg, privateKey, jwk };
      if (publish) issuer.published.push(key);
      return key;
    },
    async sign(claims, opts = {}) {
      const key = opts.key ?? issuer.published[0];
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer.url, iat: now, exp: now + (opts.expiresIn ?? 600), ...claims })
        .setProtectedHeader({ alg: key.alg, kid: opts.kid ?? key.kid, typ: 'JWT' })
        .sign(key.privateKey);
    },
    async close() {
      for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(home, { recursive: true, force: true });
    },
  };
  const server = createServer({ cert: pki.servingCertChain, key: pki.servingKey }, (req, res) => {
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === `${path}/.well-known/openid-configuration`) {
      return json({
        issuer: issuer.url,
        jwks_uri: `${issuer.url}/keys`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
    }
    if (req.url === `${path}/keys`) {
      issuer.jwksFetches++;
      return json({ keys: issuer.published.map((key) => key.jwk) });
    }
    res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  issuer.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  await issuer.newKey();
  return issuer;
}
