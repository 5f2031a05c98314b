// Certificate signing requests (PKCS#10, RFC 2986) and certificate PEM as kube's CSR validation and admission read
// them: Go's encoding/pem Decode, crypto/x509 ParseCertificateRequest and CertificateRequest.CheckSignature, and
// pkg/apis/certificates/helpers.go ParseCSR. Node can verify signatures and parse certificates but has no PKCS#10
// reader, so this is a minimal DER reader for exactly the fields kube looks at: the signed bytes, the signature and
// its algorithm, the public key, and the subject's CommonName and Organizations. Messages are Go's where a client
// sees them (a 422 cause names the first failure).
import { createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';

export interface PemBlock {
  type: string;
  headers: Record<string, string>;
  bytes: Buffer;
}

const PEM_BEGIN = '-----BEGIN ';
const PEM_END = '-----END ';
const PEM_TAIL = '-----';

/**
 * encoding/pem.Decode: the first well-formed block in `data` and the text after it, or undefined when there is
 * none. A malformed block is skipped, as Go does, and the search goes on after its BEGIN line.
 */
export function pemDecode(data: string): { block: PemBlock; rest: string } | undefined {
  let text = data;
  for (;;) {
    const begin = text.startsWith(PEM_BEGIN) ? 0 : text.indexOf(`\n${PEM_BEGIN}`);
    if (begin < 0) return undefined;
    const start = begin === 0 ? 0 : begin + 1;
    const lineEnd = text.indexOf('\n', start);
    const typeLine = (lineEnd < 0 ? text.slice(start) : text.slice(start, lineEnd)).replace(/[ \t\r]+$/, '');
    const next = lineEnd < 0 ? '' : text.slice(lineEnd + 1);
    if (!typeLine.endsWith(PEM_TAIL) || lineEnd < 0) {
      text = next;
      continue;
    }
    const type = typeLine.slice(PEM_BEGIN.length, -PEM_TAIL.length);
    const decoded = decodeBody(type, next);
    if (decoded) return decoded;
    text = next;
  }
}

function decodeBody(type: string, body: string): { block: PemBlock; rest: string } | undefined {
  const headers: Record<string, string> = {};
  let rest = body;
  // Headers are `Key: value` lines up to the first line without a colon.
  for (;;) {
    const nl = rest.indexOf('\n');
    if (nl < 0) break;
    const line = rest.slice(0, nl).replace(/\r$/, '');
    const colon = line.indexOf(':');
    if (colon < 0) break;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    rest = rest.slice(nl + 1);
  }
  const endMarker = `${PEM_END}${type}${PEM_TAIL}`;
  const endAt = rest.startsWith(PEM_END) ? 0 : rest.indexOf(`\n${PEM_END}`);
  if (endAt < 0) return undefined;
  const endStart = endAt === 0 ? 0 : endAt + 1;
  if (!rest.startsWith(endMarker, endStart)) return undefined;
  const after = rest.slice(endStart + endMarker.length);
  const afterNl = after.indexOf('\n');
  const tail = afterNl < 0 ? after : after.slice(0, afterNl);
  if (tail.trim() !== '') return undefined;
  const b64 = rest.slice(0, endAt === 0 ? 0 : endAt).replace(/[\s]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) return undefined;
  return { block: { type, headers, bytes: Buffer.from(b64, 'base64') }, rest: afterNl < 0 ? '' : after.slice(afterNl + 1) };
}

// ---- DER ------------------------------------------------------------------------------------------------

interface Tlv {
  /** The identifier octet (class, constructed bit and tag number below 31). */
  tag: number;
  /** The whole element, header included. */
  full: Buffer;
  /** The contents. */
  value: Buffer;
}

export class Asn1Error extends Error {}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OBJECT_IDENTIFIER = 0x06;

function readTlv(buf: Buffer, offset: number): { tlv: Tlv; next: number } {
  if (offset + 2 > buf.length) throw new Asn1Error('asn1: syntax error: data truncated');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Asn1Error("asn1: structure error: tags don't match");
  let len = buf[offset + 1]!;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Asn1Error('asn1: structure error: length too large');
    if (offset + 2 + n > buf.length) throw new Asn1Error('asn1: syntax error: data truncated');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[offset + 2 + i]!;
    header += n;
  }
  const end = offset + header + len;
  if (end > buf.length) throw new Asn1Error('asn1: syntax error: data truncated');
  return { tlv: { tag, full: buf.subarray(offset, end), value: buf.subarray(offset + header, end) }, next: end };
}

function children(parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let off = 0; off < parent.value.length;) {
    const { tlv, next } = readTlv(parent.value, off);
    out.push(tlv);
    off = next;
  }
  return out;
}

function expect(tlv: Tlv | undefined, tag: number): Tlv {
  if (!tlv || tlv.tag !== tag) throw new Asn1Error("asn1: structure error: tags don't match");
  return tlv;
}

function oidString(value: Buffer): string {
  const parts: number[] = [];
  let n = 0;
  for (const byte of value) {
    n = n * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0) parts.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

// ---- certificate requests -----------------------------------------------------------------------------------

export interface CertificateRequest {
  /** The signed CertificationRequestInfo, DER. */
  tbs: Buffer;
  signatureAlgorithm: string;
  signature: Buffer;
  /** SubjectPublicKeyInfo, DER. */
  publicKeyInfo: Buffer;
  subject: { commonName: string; organizations: string[] };
}

const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';

/** A DirectoryString's text (UTF8String, PrintableString, IA5String, T61String, BMPString). */
function directoryString(tlv: Tlv): string {
  if (tlv.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < tlv.value.length; i += 2) s += String.fromCharCode(tlv.value.readUInt16BE(i));
    return s;
  }
  return tlv.value.toString(tlv.tag === 0x14 ? 'latin1' : 'utf8');
}

/** pkix.Name.FillFromRDNSequence for the two attributes kube reads: the last CommonName, every Organization. */
function parseSubject(name: Tlv): CertificateRequest['subject'] {
  const subject = { commonName: '', organizations: [] as string[] };
  for (const rdn of children(expect(name, SEQUENCE))) {
    for (const atv of children(expect(rdn, SET))) {
      const [oid, value] = children(expect(atv, SEQUENCE));
      const type = oidString(expect(oid, OBJECT_IDENTIFIER).value);
      if (!value) throw new Asn1Error('asn1: syntax error: sequence truncated');
      if (type === OID_COMMON_NAME) subject.commonName = directoryString(value);
      else if (type === OID_ORGANIZATION) subject.organizations.push(directoryString(value));
    }
  }
  return subject;
}

/** encoding/asn1's fieldParameters as Go prints an unset one (%+v) in a structure error. */
const GO_EMPTY_PARAMS =
  '{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}';

/**
 * Go checks the outer element's tag before its length: bytes that do not start with a SEQUENCE get asn1's
 * structure error naming the header it read (the common case of a PEM block holding something else).
 */
function checkOuterTag(der: Buffer): void {
  if (der.length < 2 || der[0] === SEQUENCE || (der[0]! & 0x1f) === 0x1f) return;
  const tag = der[0]!;
  let length = der[1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || der.length < 2 + n) return;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[2 + i]!;
    header += n;
  }
  const read = `{class:${tag >> 6} tag:${tag & 0x1f} length:${length} isCompound:${(tag & 0x20) !== 0}}`;
  throw new Asn1Error(`asn1: structure error: tags don't match (16 vs ${read}) ${GO_EMPTY_PARAMS} certificateRequest @${header}`);
}

/** x509.ParseCertificateRequest on DER bytes. */
export function parseCertificateRequestDer(der: Buffer): CertificateRequest {
  checkOuterTag(der);
  const { tlv: outer, next } = readTlv(der, 0);
  if (next !== der.length) throw new Asn1Error('asn1: syntax error: trailing data');
  const [info, algorithm, signature] = children(expect(outer, SEQUENCE));
  const infoParts = children(expect(info, SEQUENCE));
  expect(infoParts[0], INTEGER);
  const subject = parseSubject(expect(infoParts[1], SEQUENCE));
  const publicKeyInfo = expect(infoParts[2], SEQUENCE);
  const [algorithmOid] = children(expect(algorithm, SEQUENCE));
  const sig = expect(signature, BIT_STRING);
  return {
    tbs: info!.full,
    signatureAlgorithm: oidString(expect(algorithmOid, OBJECT_IDENTIFIER).value),
    // A BIT STRING's first octet counts the unused bits of the last one; signatures use whole octets.
    signature: sig.value.subarray(1),
    publicKeyInfo: publicKeyInfo.full,
    subject,
  };
}

/** certificates.ParseCSR: the first PEM block must be a CERTIFICATE REQUEST, parsed as PKCS#10. */
export function parseCSR(pemText: string): CertificateRequest {
  const decoded = pemDecode(pemText);
  if (!decoded || decoded.block.type !== 'CERTIFICATE REQUEST') throw new Error('PEM block type must be CERTIFICATE REQUEST');
  return parseCertificateRequestDer(decoded.block.bytes);
}

/** Signature algorithms Go verifies on a CSR (SHA-1 included: CheckSignature allows it for requests). */
const SIGNATURE_ALGORITHMS: Record<string, { hash: string | null; key: 'rsa' | 'ec' | 'ed25519' }> = {
  '1.2.840.113549.1.1.5': { hash: 'sha1', key: 'rsa' },
  '1.2.840.113549.1.1.11': { hash: 'sha256', key: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', key: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', key: 'rsa' },
  '1.2.840.10045.4.1': { hash: 'sha1', key: 'ec' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', key: 'ec' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', key: 'ec' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', key: 'ec' },
  '1.3.101.112': { hash: null, key: 'ed25519' },
};

/** CertificateRequest.CheckSignature: the request is signed by the key it carries. */
export function checkSignature(csr: CertificateRequest): void {
  const algorithm = SIGNATURE_ALGORITHMS[csr.signatureAlgorithm];
  let key: KeyObject;
  try {
    key = createPublicKey({ key: csr.publicKeyInfo, format: 'der', type: 'spki' });
  } catch {
    throw new Error('x509: cannot verify signature: algorithm unimplemented');
  }
  if (!algorithm) throw new Error('x509: cannot verify signature: algorithm unimplemented');
  const keyType = key.asymmetricKeyType === 'rsa' ? 'rsa' : key.asymmetricKeyType;
  if (keyType !== algorithm.key) {
    const goKey = { rsa: '*rsa.PublicKey', ec: '*ecdsa.PublicKey', ed25519: 'ed25519.PublicKey' }[keyType as string] ?? 'unknown';
    const want = { rsa: 'an RSA', ec: 'an ECDSA', ed25519: 'an Ed25519' }[algorithm.key];
    throw new Error(`x509: signature algorithm specifies ${want} public key, but have public key of type ${goKey}`);
  }
  let ok = false;
  try {
    ok = verify(algorithm.hash, csr.tbs, key, csr.signature);
  } catch {
    ok = false;
  }
  if (!ok) {
    if (algorithm.key === 'rsa') throw new Error('crypto/rsa: verification error');
    if (algorithm.key === 'ec') throw new Error('x509: ECDSA verification failure');
    throw new Error('x509: Ed25519 verification failure');
  }
}

/**
 * validateCertificate (pkg/apis/certificates/validation): empty is fine; otherwise one or more CERTIFICATE blocks
 * without headers, each holding parseable certificates. Returns Go's error text, or undefined when valid.
 */
export function certificatePEMError(pemText: string): string | undefined {
  if (pemText.length === 0) return undefined;
  let rest = pemText;
  let blocks = 0;
  for (;;) {
    const decoded = pemDecode(rest);
    if (!decoded) break;
    const { block } = decoded;
    if (block.type !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(block.type)}`;
    if (Object.keys(block.headers).length !== 0) return 'no PEM block headers are permitted';
    blocks++;
    if (block.bytes.length === 0) return 'found CERTIFICATE PEM block containing 0 certificates';
    // x509.ParseCertificates reads concatenated DER certificates.
    try {
      for (let off = 0; off < block.bytes.length;) {
        const { tlv, next } = readTlv(block.bytes, off);
        new X509Certificate(tlv.full);
        off = next;
      }
    } catch {
      // x509.ParseCertificates reads with cryptobyte, whose failures all read this way.
      return 'x509: malformed certificate';
    }
    rest = decoded.rest;
  }
  if (blocks === 0) return 'must contain at least one CERTIFICATE PEM block';
  return undefined;
}
