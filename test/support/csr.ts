// Real PKCS#10 certificate signing requests for tests, made the way `openssl req -new` makes them: a fresh key, a
// subject with a CommonName and Organizations, signed by that key (RSA with SHA-256, ECDSA P-256 with SHA-256).
// Node signs but writes no CSRs, so this is a small DER writer for exactly that structure (RFC 2986).
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(value.length), value]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const rdn = (type: string, value: string) => set(seq(oid(type), utf8(value)));

export interface MadeCSR {
  /** The PEM text (`-----BEGIN CERTIFICATE REQUEST-----`). */
  pem: string;
  /** base64 of the PEM: what spec.request carries in JSON. */
  request: string;
  key: KeyObject;
}

export interface CSROptions {
  commonName: string;
  organizations?: string[];
  keyType?: 'rsa' | 'ec';
  /** Flip a byte of the signature, so the request no longer verifies. */
  corruptSignature?: boolean;
}

export function makeCSR(opts: CSROptions): MadeCSR {
  const keyType = opts.keyType ?? 'ec';
  const { publicKey, privateKey } =
    keyType === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const subject = seq(...(opts.organizations ?? []).map((o) => rdn('2.5.4.10', o)), rdn('2.5.4.3', opts.commonName));
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const info = seq(tlv(0x02, Buffer.from([0])), subject, spki, tlv(0xa0, Buffer.alloc(0)));
  const algorithm = keyType === 'rsa' ? seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0))) : seq(oid('1.2.840.10045.4.3.2'));
  const signature = sign('sha256', info, privateKey);
  if (opts.corruptSignature) signature[signature.length - 1] ^= 0xff;
  const der = seq(info, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`;
  return { pem, request: Buffer.from(pem).toString('base64'), key: privateKey };
}
