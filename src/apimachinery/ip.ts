// IP address and CIDR parsing as kube-apiserver does it: Go's netip.ParseAddr / ParsePrefix (strict: no leading
// zeros, no zones here), k8s.io/utils/net ParseIPSloppy / ParseCIDRSloppy (Go 1.16's net.ParseIP, which reads
// IPv4 octets with leading zeros as decimal), and net.IP.String()'s canonical form. The field checks follow
// k8s.io/apimachinery/pkg/util/validation/ip.go (IsValidIP, IsValidIPForLegacyField, IsValidCIDR, ...).
import type { FieldError } from './errors.js';

/** 16 bytes; IPv4 addresses are held IPv4-mapped (::ffff:a.b.c.d), as Go's net.IP does. */
export type IPBytes = Uint8Array;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Four dotted decimal octets into out[off..off+4]; `sloppy` allows leading zeros (read as decimal). */
function parseIPv4Into(s: string, out: Uint8Array, off: number, sloppy: boolean): boolean {
  let i = 0;
  for (let field = 0; field < 4; field++) {
    if (field > 0) {
      if (s.charCodeAt(i) !== 46) return false;
      i++;
    }
    const start = i;
    let n = 0;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      n = n * 10 + (s.charCodeAt(i) - 48);
      if (n > 255) return false;
      i++;
    }
    if (i === start) return false;
    if (!sloppy && i - start > 1 && s.charCodeAt(start) === 48) return false;
    out[off + field] = n;
  }
  return i === s.length;
}

/** RFC 4291 text, with `::` and a trailing dotted IPv4; strict allows at most 4 hex digits a group. */
function parseIPv6(s: string, sloppy: boolean): IPBytes | null {
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith('::')) {
    ellipsis = 0;
    i = 2;
    if (i === s.length) return ip;
  }
  let j = 0;
  while (j < 16) {
    // A trailing IPv4 part.
    const rest = s.slice(i);
    let k = 0;
    while (k < rest.length && hexValue(rest.charCodeAt(k)) >= 0) k++;
    if (k < rest.length && rest.charCodeAt(k) === 46) {
      if (ellipsis < 0 && j !== 12) return null;
      if (j + 4 > 16) return null;
      if (!parseIPv4Into(rest, ip, j, sloppy)) return null;
      j += 4;
      i = s.length;
      break;
    }
    if (k === 0) return null;
    if (!sloppy && k > 4) return null;
    let n = 0;
    for (let d = 0; d < k; d++) {
      n = n * 16 + hexValue(rest.charCodeAt(d));
      if (n > 0xffff) return null;
    }
    ip[j] = n >> 8;
    ip[j + 1] = n & 0xff;
    j += 2;
    i += k;
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 58) return null;
    if (i + 1 === s.length) return null;
    i++;
    if (s.charCodeAt(i) === 58) {
      if (ellipsis >= 0) return null;
      ellipsis = j;
      i++;
      if (i === s.length) break;
    }
  }
  if (i !== s.length) return null;
  if (j < 16) {
    if (ellipsis < 0) return null;
    const n = 16 - j;
    for (let k = j - 1; k >= ellipsis; k--) ip[k + n] = ip[k];
    for (let k = ellipsis + n - 1; k >= ellipsis; k--) ip[k] = 0;
  } else if (ellipsis >= 0) {
    // An ellipsis must stand for at least one group.
    return null;
  }
  return ip;
}

function v4Mapped(a: number, b: number, c: number, d: number): IPBytes {
  const ip = new Uint8Array(16);
  ip[10] = 0xff;
  ip[11] = 0xff;
  ip[12] = a;
  ip[13] = b;
  ip[14] = c;
  ip[15] = d;
  return ip;
}

function parse(s: string, sloppy: boolean): { ip: IPBytes; v4: boolean } | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      const out = new Uint8Array(4);
      return parseIPv4Into(s, out, 0, sloppy) ? { ip: v4Mapped(out[0], out[1], out[2], out[3]), v4: true } : null;
    }
    if (c === 58) {
      const ip = parseIPv6(s, sloppy);
      return ip ? { ip, v4: false } : null;
    }
  }
  return null;
}

/** k8s.io/utils/net ParseIPSloppy: Go's net.ParseIP before 1.17, leading zeros allowed. */
export function parseIPSloppy(s: string): IPBytes | null {
  return parse(s, true)?.ip ?? null;
}

/** netip.ParseAddr without zones (which kube never accepts): the strict form. */
export function parseAddrStrict(s: string): { ip: IPBytes; v4: boolean } | null {
  return parse(s, false);
}

/** The IPv4 address inside an IPv4-mapped address (Go's To4), else null. */
function to4(ip: IPBytes): IPBytes | null {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return null;
  return ip[10] === 0xff && ip[11] === 0xff ? ip.subarray(12) : null;
}

export function isIPv4(ip: IPBytes): boolean {
  return to4(ip) !== null;
}

/** Go's net.IP.String(): dotted quad for IPv4 (and IPv4-mapped), RFC 5952 for IPv6. */
export function ipString(ip: IPBytes): string {
  const v4 = to4(ip);
  if (v4) return `${v4[0]}.${v4[1]}.${v4[2]}.${v4[3]}`;
  // The longest run of two or more zero groups becomes "::" (the first one on a tie).
  let bestStart = -1;
  let bestLen = 0;
  for (let g = 0; g < 8;) {
    if (ip[2 * g] === 0 && ip[2 * g + 1] === 0) {
      let e = g;
      while (e < 8 && ip[2 * e] === 0 && ip[2 * e + 1] === 0) e++;
      if (e - g > bestLen && e - g >= 2) {
        bestStart = g;
        bestLen = e - g;
      }
      g = e;
    } else {
      g++;
    }
  }
  let out = '';
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      out += '::';
      g += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += ((ip[2 * g] << 8) | ip[2 * g + 1]).toString(16);
  }
  return out;
}

function allZero(ip: IPBytes): boolean {
  return ip.every((b) => b === 0);
}

export function isUnspecified(ip: IPBytes): boolean {
  const v4 = to4(ip);
  return v4 ? allZero(v4) : allZero(ip);
}

export function isLoopback(ip: IPBytes): boolean {
  const v4 = to4(ip);
  if (v4) return v4[0] === 127;
  for (let i = 0; i < 15; i++) if (ip[i] !== 0) return false;
  return ip[15] === 1;
}

export function isLinkLocalUnicast(ip: IPBytes): boolean {
  const v4 = to4(ip);
  if (v4) return v4[0] === 169 && v4[1] === 254;
  return ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80;
}

export function isLinkLocalMulticast(ip: IPBytes): boolean {
  const v4 = to4(ip);
  if (v4) return v4[0] === 224 && v4[1] === 0 && v4[2] === 0;
  return ip[0] === 0xff && (ip[1] & 0x0f) === 0x02;
}

/** A parsed CIDR: the address as written, its network address, whether it was IPv4 text, the prefix length. */
export interface ParsedCIDR {
  ip: IPBytes;
  network: IPBytes;
  v4: boolean;
  bits: number;
}

function maskTo(ip: IPBytes, bits: number, v4: boolean): IPBytes {
  const out = new Uint8Array(ip);
  const total = v4 ? bits + 96 : bits;
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, total - i * 8));
    out[i] &= (0xff << (8 - keep)) & 0xff;
  }
  if (v4) {
    out[10] = 0xff;
    out[11] = 0xff;
  }
  return out;
}

function parseCIDR(s: string, sloppy: boolean): ParsedCIDR | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addr = parse(s.slice(0, slash), sloppy);
  if (!addr) return null;
  const len = s.slice(slash + 1);
  if (len === '' || ![...len].every((c) => isDigit(c.charCodeAt(0)))) return null;
  if (!sloppy && len.length > 1 && len[0] === '0') return null;
  const bits = Number(len);
  if (bits > (addr.v4 ? 32 : 128)) return null;
  return { ip: addr.ip, network: maskTo(addr.ip, bits, addr.v4), v4: addr.v4, bits };
}

/** k8s.io/utils/net ParseCIDRSloppy (Go 1.16's net.ParseCIDR). */
export function parseCIDRSloppy(s: string): ParsedCIDR | null {
  return parseCIDR(s, true);
}

/** netip.ParsePrefix: no leading zeros in the address or the prefix length. */
export function parsePrefixStrict(s: string): ParsedCIDR | null {
  return parseCIDR(s, false);
}

/** Go's IPNet.String() for a parsed CIDR. */
export function cidrString(c: ParsedCIDR): string {
  return `${ipString(c.network)}/${c.bits}`;
}

function sameBytes(a: IPBytes, b: IPBytes): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---- field checks (apimachinery pkg/util/validation/ip.go) -------------------------------------------------

const IP_INVALID = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_INVALID = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function ipErr(field: string, value: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, value, detail };
}

function checkIP(field: string, value: string, strict: boolean): { ip: IPBytes | null; errs: FieldError[] } {
  const ip = parseIPSloppy(value);
  if (!ip) return { ip: null, errs: [ipErr(field, value, IP_INVALID)] };
  const errs: FieldError[] = [];
  if (strict) {
    const addr = parseAddrStrict(value);
    if (!addr) errs.push(ipErr(field, value, 'must not have leading 0s'));
    else if (!addr.v4 && isIPv4(addr.ip)) errs.push(ipErr(field, value, 'must not be an IPv4-mapped IPv6 address'));
  }
  return { ip, errs };
}

/** IsValidIPForLegacyField; kube v1.34 runs it with strictValidation off (StrictIPCIDRValidation is alpha). */
export function isValidIPForLegacyField(field: string, value: string, strict = false, validOld: readonly string[] = []): FieldError[] {
  if (validOld.includes(value)) return [];
  return checkIP(field, value, strict).errs;
}

/** IsValidIP: strict and canonical, for fields newer than strict IP validation. */
export function isValidIP(field: string, value: string): FieldError[] {
  const { ip, errs } = checkIP(field, value, true);
  if (errs.length > 0 || !ip) return errs;
  const canonical = ipString(ip);
  return value === canonical ? [] : [ipErr(field, value, `must be in canonical form (${JSON.stringify(canonical)})`)];
}

function checkCIDR(field: string, value: string, strict: boolean): { cidr: ParsedCIDR | null; errs: FieldError[] } {
  const cidr = parseCIDRSloppy(value);
  if (!cidr) return { cidr: null, errs: [ipErr(field, value, CIDR_INVALID)] };
  const errs: FieldError[] = [];
  if (strict) {
    const prefix = parsePrefixStrict(value);
    if (!prefix) errs.push(ipErr(field, value, 'must not have leading 0s in IP or prefix length'));
    else if (!prefix.v4 && isIPv4(prefix.ip)) errs.push(ipErr(field, value, 'must not have an IPv4-mapped IPv6 address'));
    else if (!sameBytes(prefix.ip, prefix.network)) errs.push(ipErr(field, value, 'must not have bits set beyond the prefix length'));
  }
  return { cidr, errs };
}

export function isValidCIDRForLegacyField(field: string, value: string, strict = false, validOld: readonly string[] = []): FieldError[] {
  if (validOld.includes(value)) return [];
  return checkCIDR(field, value, strict).errs;
}

/** IsValidCIDR: strict, "subnet" form, canonical. */
export function isValidCIDR(field: string, value: string): FieldError[] {
  const { cidr, errs } = checkCIDR(field, value, true);
  if (errs.length > 0 || !cidr) return errs;
  const canonical = cidrString(cidr);
  return value === canonical ? [] : [ipErr(field, value, `must be in canonical form (${JSON.stringify(canonical)})`)];
}

/** core validation's ValidateNonSpecialIP: not unspecified, loopback or link-local. */
export function validateNonSpecialIP(value: string, field: string): FieldError[] {
  const ip = parseIPSloppy(value);
  if (!ip) return [ipErr(field, value, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  if (isUnspecified(ip)) errs.push(ipErr(field, value, `may not be unspecified (${value})`));
  if (isLoopback(ip)) errs.push(ipErr(field, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (isLinkLocalUnicast(ip)) errs.push(ipErr(field, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (isLinkLocalMulticast(ip)) errs.push(ipErr(field, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}
