// The Kubernetes CEL libraries on @marcbachmann/cel-js: what k8s.io/apiserver/pkg/cel/environment/base.go adds to
// cel-go's standard library for every expression kube compiles (v1.34, compatibility version 1.33): the Kubernetes
// extensions of k8s.io/apiserver/pkg/cel/library (lists.go, regex.go, urls.go, quantity.go, ip.go, cidr.go,
// format.go, authz.go) and the cel-go extensions kube enables (ext.Strings v2, ext.Sets). Functions cel-js already
// has (lowerAscii, upperAscii, trim, split, substring, indexOf, lastIndexOf, join) are its own.
import type { Environment } from '@marcbachmann/cel-js';
import { Optional } from '@marcbachmann/cel-js';
import {
  parseAddrStrict,
  parsePrefixStrict,
  ipString,
  isIPv4,
  isLoopback,
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isUnspecified,
} from '../../apimachinery/ip.js';
import type { IPBytes, ParsedCIDR } from '../../apimachinery/ip.js';
import { compareQuantity, formatQuantity, parseQuantity, type Quantity } from '../../apimachinery/quantity.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../apimachinery/validation.js';

type Fn = (...args: any[]) => unknown;

/** Namespaces of global functions (sets.contains, strings.quote, format.dns1123Label): a constant of its own type. */
class SetsNamespace {}
class StringsNamespace {}
class FormatNamespace {}
class IPNamespace {}

/** library.URL: a parsed URL. */
export class CelURL {
  constructor(
    readonly url: URL,
    readonly raw: string,
  ) {}
}
/** library.Quantity. */
export class CelQuantity {
  constructor(readonly q: Quantity) {}
}
/** library.IP: an address (netip.Addr). */
export class CelIP {
  constructor(
    readonly ip: IPBytes,
    readonly v4: boolean,
  ) {}
}
/** library.CIDR: a prefix (netip.Prefix). */
export class CelCIDR {
  constructor(readonly cidr: ParsedCIDR) {}
}
/** library.Format: a named string format (format.go). */
export class CelFormat {
  constructor(
    readonly name: string,
    readonly check: (s: string) => string[],
    readonly maxLength: number,
  ) {}
}

/** cel-go's ordering of two comparable values (ints, uints, doubles across types; strings; bools). */
function compare(a: unknown, b: unknown): number {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof CelQuantity && b instanceof CelQuantity) return compareQuantity(a.q, b.q);
  throw new Error(`no such overload`);
}

/** CEL equality for the sets library: numbers across types, lists and maps by content. */
function celEquals(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof CelQuantity && b instanceof CelQuantity) return compareQuantity(a.q, b.q) === 0;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ma = a as Record<string, unknown>;
    const mb = b as Record<string, unknown>;
    const ka = Object.keys(ma);
    return ka.length === Object.keys(mb).length && ka.every((k) => k in mb && celEquals(ma[k], mb[k]));
  }
  return a === b;
}

/** Go's regexp (RE2) as a JS RegExp; kube's error text for one that does not compile. */
function regex(pattern: string, flags = ''): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (e) {
    throw new Error(`Illegal regex: ${(e as Error).message}`);
  }
}

/** A string's characters as CEL counts them (code points). */
const codePoints = (s: string): string[] => [...s];

/** Kube's lists library (library/lists.go). */
function registerLists(env: Environment): void {
  env.registerFunction('list<T>.isSorted(): bool', ((l: unknown[]) => l.every((x, i) => i === 0 || compare(l[i - 1], x) <= 0)) as Fn);
  env.registerFunction('list.sum(): dyn', ((l: unknown[]) => {
    if (l.length === 0) return 0n;
    return l.reduce((acc: any, x: any) => {
      if (typeof acc === 'bigint' && typeof x === 'bigint') return acc + x;
      if (acc instanceof CelQuantity || x instanceof CelQuantity) throw new Error('no such overload');
      return Number(acc) + Number(x);
    });
  }) as Fn);
  const extreme = (name: string, sign: number) => (l: unknown[]) => {
    if (l.length === 0) throw new Error(`${name} called on empty list`);
    return l.reduce((best, x) => (compare(x, best) * sign > 0 ? x : best));
  };
  env.registerFunction('list.min(): dyn', extreme('min', -1) as Fn);
  env.registerFunction('list.max(): dyn', extreme('max', 1) as Fn);
  env.registerFunction('list<T>.indexOf(T): int', ((l: unknown[], x: unknown) => BigInt(l.findIndex((e) => celEquals(e, x)))) as Fn);
  env.registerFunction('list<T>.lastIndexOf(T): int', ((l: unknown[], x: unknown) => {
    for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], x)) return BigInt(i);
    return -1n;
  }) as Fn);
}

/** Kube's regex library (library/regex.go): find and findAll. */
function registerRegex(env: Environment): void {
  env.registerFunction('string.find(string): string', ((s: string, re: string) => regex(re).exec(s)?.[0] ?? '') as Fn);
  const findAll = (s: string, re: string, limit: bigint = -1n) => {
    if (limit === 0n) return [];
    const out: string[] = [];
    for (const m of s.matchAll(regex(re, 'g'))) {
      out.push(m[0]);
      if (limit > 0n && BigInt(out.length) >= limit) break;
    }
    return out;
  };
  env.registerFunction('string.findAll(string): list<string>', findAll as Fn);
  env.registerFunction('string.findAll(string, int): list<string>', findAll as Fn);
}

/** cel-go's ext.Strings (version 2) beyond what cel-js has: charAt, replace, reverse, strings.quote. */
function registerStrings(env: Environment): void {
  env.registerFunction('string.charAt(int): string', ((s: string, i: bigint) => {
    const cps = codePoints(s);
    if (i < 0n || i > BigInt(cps.length)) throw new Error(`index out of range: ${i}`);
    return cps[Number(i)] ?? '';
  }) as Fn);
  const replace = (s: string, from: string, to: string, n: bigint = -1n) => {
    if (n === 0n) return s;
    if (n < 0n) return s.split(from).join(to);
    let out = '';
    let rest = s;
    for (let i = 0n; i < n; i++) {
      const at = rest.indexOf(from);
      if (at < 0) break;
      out += rest.slice(0, at) + to;
      rest = rest.slice(at + Math.max(from.length, 0));
      if (from.length === 0) {
        out += rest.slice(0, 1);
        rest = rest.slice(1);
      }
    }
    return out + rest;
  };
  env.registerFunction('string.replace(string, string): string', replace as Fn);
  env.registerFunction('string.replace(string, string, int): string', replace as Fn);
  env.registerFunction('string.reverse(): string', ((s: string) => codePoints(s).reverse().join('')) as Fn);
  env.registerFunction('string.format(list): string', ((s: string, args: unknown[]) => format(s, [...args])) as Fn);
  env.registerType('kubernetes.StringsNamespace', StringsNamespace);
  env.registerConstant('strings', 'kubernetes.StringsNamespace', new StringsNamespace());
  env.registerFunction('kubernetes.StringsNamespace.quote(string): string', ((_ns: unknown, s: string) => JSON.stringify(s)) as Fn);
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64): what string(double) gives. */
function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = v.toExponential().split('e');
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(v);
}

/** The %s text of one value (ext/formatting.go FormatString); `nested` quotes strings as list and map members. */
function formatString(v: unknown, nested = false): string {
  if (typeof v === 'string') return nested ? JSON.stringify(v) : v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return nested ? v.toFixed(6) : goFloat(v);
  if (v === null || v === undefined) return 'null';
  if (v instanceof Uint8Array) return nested ? `b${JSON.stringify(Buffer.from(v).toString('utf8'))}` : Buffer.from(v).toString('utf8');
  if (Array.isArray(v)) return `[${v.map((x) => formatString(x, true)).join(', ')}]`;
  if (v instanceof Date) return nested ? `timestamp(${JSON.stringify(v.toISOString())})` : v.toISOString();
  if (v instanceof Map || Object.getPrototypeOf(v) === Object.prototype) {
    const entries: [unknown, unknown][] = v instanceof Map ? [...v] : Object.entries(v as object);
    const pairs = entries
      .map(([k, x]) => [formatString(k, true), formatString(x, true)])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `{${pairs.map(([k, x]) => `${k}:${x}`).join(', ')}}`;
  }
  throw new Error(
    `error during formatting: string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given ${(v as object).constructor?.name ?? 'dyn'}`,
  );
}

const celType = (v: unknown) =>
  typeof v === 'bigint'
    ? 'int'
    : typeof v === 'number'
      ? 'double'
      : typeof v === 'string'
        ? 'string'
        : typeof v === 'boolean'
          ? 'bool'
          : v === null
            ? 'null_type'
            : Array.isArray(v)
              ? 'list'
              : 'map';

/** cel-go's string.format (ext/formatting.go, the version ext.Strings(2) uses): %s %d %f %e %b %x %X %o and %%. */
function format(template: string, args: unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length;) {
    const c = template[i];
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '%') {
      out += '%';
      i += 2;
      continue;
    }
    if (i + 1 >= template.length) throw new Error('unexpected end of string');
    if (next >= args.length) throw new Error(`index ${next} out of range`);
    const arg = args[next++];
    let j = i + 1;
    let precision: number | undefined;
    if (template[j] === '.') {
      let digits = '';
      j++;
      while (j < template.length && /[0-9]/.test(template[j])) digits += template[j++];
      if (j >= template.length)
        throw new Error('could not parse formatting clause: error while parsing precision: could not find end of precision specifier');
      precision = Number(digits);
    }
    const verb = template[j];
    const bad = (what: string) => new Error(`error during formatting: ${what}, was given ${celType(arg)}`);
    switch (verb) {
      case 's':
        out += formatString(arg);
        break;
      case 'd':
        if (typeof arg !== 'bigint') throw bad('decimal clause can only be used on integers');
        out += String(arg);
        break;
      case 'f':
        if (typeof arg !== 'number') throw bad('fixed-point clause can only be used on doubles');
        out += arg.toFixed(precision ?? 6);
        break;
      case 'e': {
        if (typeof arg !== 'number') throw bad('scientific clause can only be used on doubles');
        const [m, e] = arg.toExponential(6).split('e');
        const n = Number(e);
        out += `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
        break;
      }
      case 'b':
        if (typeof arg === 'boolean') out += arg ? '1' : '0';
        else if (typeof arg === 'bigint') out += arg.toString(2);
        else throw bad('only integers and bools can be formatted as binary');
        break;
      case 'x':
      case 'X': {
        let hex: string;
        if (typeof arg === 'bigint') hex = arg.toString(16);
        else if (typeof arg === 'string') hex = Buffer.from(arg, 'utf8').toString('hex');
        else if (arg instanceof Uint8Array) hex = Buffer.from(arg).toString('hex');
        else throw bad('only integers, byte buffers, and strings can be formatted as hex');
        out += verb === 'X' ? hex.toUpperCase() : hex;
        break;
      }
      case 'o':
        if (typeof arg !== 'bigint') throw bad('octal clause can only be used on integers');
        out += arg.toString(8);
        break;
      default:
        throw new Error(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
    }
    i = j + 1;
  }
  return out;
}

/** cel-go's ext.Sets: sets.contains, sets.equivalent, sets.intersects. */
function registerSets(env: Environment): void {
  env.registerType('kubernetes.SetsNamespace', SetsNamespace);
  env.registerConstant('sets', 'kubernetes.SetsNamespace', new SetsNamespace());
  const has = (l: unknown[], x: unknown) => l.some((e) => celEquals(e, x));
  const contains = (a: unknown[], b: unknown[]) => b.every((x) => has(a, x));
  env.registerFunction('kubernetes.SetsNamespace.contains(list, list): bool', ((_: unknown, a: unknown[], b: unknown[]) =>
    contains(a, b)) as Fn);
  env.registerFunction(
    'kubernetes.SetsNamespace.equivalent(list, list): bool',
    ((_: unknown, a: unknown[], b: unknown[]) => contains(a, b) && contains(b, a)) as Fn,
  );
  env.registerFunction('kubernetes.SetsNamespace.intersects(list, list): bool', ((_: unknown, a: unknown[], b: unknown[]) =>
    b.some((x) => has(a, x))) as Fn);
}

/** Kube's URL library (library/urls.go): url, isURL and the parts of a parsed URL. */
function registerURLs(env: Environment): void {
  env.registerType('kubernetes.URL', CelURL);
  const parse = (s: string): CelURL | undefined => {
    // Go's url.ParseRequestURI: an absolute URL or an absolute path.
    try {
      if (s.startsWith('/')) return new CelURL(new URL(s, 'http://placeholder.invalid'), s);
      if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s)) return undefined;
      return new CelURL(new URL(s), s);
    } catch {
      return undefined;
    }
  };
  env.registerFunction('url(string): kubernetes.URL', ((s: string) => {
    const u = parse(s);
    if (!u) throw new Error(`URL parse error during conversion from string: parse ${JSON.stringify(s)}: invalid URI for request`);
    return u;
  }) as Fn);
  env.registerFunction('isURL(string): bool', ((s: string) => parse(s) !== undefined) as Fn);
  const relative = (u: CelURL) => u.raw.startsWith('/');
  env.registerFunction('kubernetes.URL.getScheme(): string', ((u: CelURL) => (relative(u) ? '' : u.url.protocol.slice(0, -1))) as Fn);
  env.registerFunction('kubernetes.URL.getHost(): string', ((u: CelURL) => (relative(u) ? '' : u.url.host)) as Fn);
  env.registerFunction('kubernetes.URL.getHostname(): string', ((u: CelURL) =>
    relative(u) ? '' : u.url.hostname.replace(/^\[(.*)\]$/, '$1')) as Fn);
  env.registerFunction('kubernetes.URL.getPort(): string', ((u: CelURL) => (relative(u) ? '' : u.url.port)) as Fn);
  env.registerFunction('kubernetes.URL.getEscapedPath(): string', ((u: CelURL) => u.url.pathname) as Fn);
  env.registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', ((u: CelURL) => {
    const out: Record<string, string[]> = {};
    for (const [k, v] of u.url.searchParams) (out[k] ??= []).push(v);
    return out;
  }) as Fn);
}

/** Kube's Quantity library (library/quantity.go). */
function registerQuantity(env: Environment): void {
  env.registerType('kubernetes.Quantity', CelQuantity);
  const parse = (s: string) => {
    const q = parseQuantity(s);
    if (!q) throw new Error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    return new CelQuantity(q);
  };
  const NANO = 1_000_000_000n;
  const Q = 'kubernetes.Quantity';
  env.registerFunction(`quantity(string): ${Q}`, parse as Fn);
  env.registerFunction('isQuantity(string): bool', ((s: string) => parseQuantity(s) !== undefined) as Fn);
  env.registerFunction(`${Q}.sign(): int`, ((q: CelQuantity) => (q.q.nano > 0n ? 1n : q.q.nano < 0n ? -1n : 0n)) as Fn);
  env.registerFunction(`${Q}.isInteger(): bool`, ((q: CelQuantity) => q.q.nano % NANO === 0n) as Fn);
  env.registerFunction(`${Q}.asInteger(): int`, ((q: CelQuantity) => {
    if (q.q.nano % NANO !== 0n) throw new Error('cannot convert value to integer');
    const v = q.q.nano / NANO;
    if (v > 9223372036854775807n || v < -9223372036854775808n) throw new Error('cannot convert value to integer');
    return v;
  }) as Fn);
  env.registerFunction(`${Q}.asApproximateFloat(): double`, ((q: CelQuantity) => Number(q.q.nano) / 1e9) as Fn);
  const make = (nano: bigint, format: Quantity['format']) => new CelQuantity({ nano, format });
  env.registerFunction(`${Q}.add(${Q}): ${Q}`, ((a: CelQuantity, b: CelQuantity) => make(a.q.nano + b.q.nano, a.q.format)) as Fn);
  env.registerFunction(`${Q}.add(int): ${Q}`, ((a: CelQuantity, b: bigint) => make(a.q.nano + b * NANO, a.q.format)) as Fn);
  env.registerFunction(`${Q}.sub(${Q}): ${Q}`, ((a: CelQuantity, b: CelQuantity) => make(a.q.nano - b.q.nano, a.q.format)) as Fn);
  env.registerFunction(`${Q}.sub(int): ${Q}`, ((a: CelQuantity, b: bigint) => make(a.q.nano - b * NANO, a.q.format)) as Fn);
  env.registerFunction(`${Q}.compareTo(${Q}): int`, ((a: CelQuantity, b: CelQuantity) => BigInt(compareQuantity(a.q, b.q))) as Fn);
  env.registerFunction(`${Q}.isLessThan(${Q}): bool`, ((a: CelQuantity, b: CelQuantity) => compareQuantity(a.q, b.q) < 0) as Fn);
  env.registerFunction(`${Q}.isGreaterThan(${Q}): bool`, ((a: CelQuantity, b: CelQuantity) => compareQuantity(a.q, b.q) > 0) as Fn);
  env.registerOperator(`${Q} == ${Q}`, ((a: CelQuantity, b: CelQuantity) => compareQuantity(a.q, b.q) === 0) as Fn);
  env.registerFunction(`string(${Q}): string`, ((q: CelQuantity) => formatQuantity(q.q)) as Fn);
}

/** Kube's IP and CIDR libraries (library/ip.go, cidr.go), on netip's strict parsing. */
function registerIPs(env: Environment): void {
  env.registerType('net.IP', CelIP);
  env.registerType('net.CIDR', CelCIDR);
  const parseIP = (s: string): CelIP => {
    if (s.includes('%')) throw new Error('IP Address with zone value is not allowed');
    const a = parseAddrStrict(s);
    if (!a)
      throw new Error(
        `IP Address ${JSON.stringify(s)} parse error during conversion from string: ParseAddr(${JSON.stringify(s)}): unable to parse IP`,
      );
    if (!a.v4 && isIPv4(a.ip)) throw new Error('IPv4-mapped IPv6 address is not allowed');
    return new CelIP(a.ip, a.v4);
  };
  const parseCIDR = (s: string): CelCIDR => {
    if (s.includes('%')) throw new Error('CIDR with zone value is not allowed');
    const c = parsePrefixStrict(s);
    if (!c)
      throw new Error(
        `network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): unable to parse`,
      );
    if (!c.v4 && isIPv4(c.ip)) throw new Error('IPv4-mapped IPv6 address is not allowed');
    return new CelCIDR(c);
  };
  const ok = (f: () => unknown) => {
    try {
      f();
      return true;
    } catch {
      return false;
    }
  };
  env.registerFunction('ip(string): net.IP', parseIP as Fn);
  // ip.isCanonical(string): `ip` is a function and a namespace in kube; cel-js needs the namespace as a constant.
  env.registerType('kubernetes.IPNamespace', IPNamespace);
  env.registerConstant('ip', 'kubernetes.IPNamespace', new IPNamespace());
  env.registerFunction(
    'kubernetes.IPNamespace.isCanonical(string): bool',
    ((_: unknown, s: string) => ipString(parseIP(s).ip) === s) as Fn,
  );
  env.registerFunction('isIP(string): bool', ((s: string) => ok(() => parseIP(s))) as Fn);
  env.registerFunction('string(net.IP): string', ((ip: CelIP) => ipString(ip.ip)) as Fn);
  env.registerFunction('net.IP.family(): int', ((ip: CelIP) => (ip.v4 ? 4n : 6n)) as Fn);
  env.registerFunction('net.IP.isUnspecified(): bool', ((ip: CelIP) => isUnspecified(ip.ip)) as Fn);
  env.registerFunction('net.IP.isLoopback(): bool', ((ip: CelIP) => isLoopback(ip.ip)) as Fn);
  env.registerFunction('net.IP.isLinkLocalMulticast(): bool', ((ip: CelIP) => isLinkLocalMulticast(ip.ip)) as Fn);
  env.registerFunction('net.IP.isLinkLocalUnicast(): bool', ((ip: CelIP) => isLinkLocalUnicast(ip.ip)) as Fn);
  env.registerFunction('net.IP.isGlobalUnicast(): bool', ((ip: CelIP) => {
    const b = ip.ip;
    if (isUnspecified(b) || isLoopback(b) || isLinkLocalMulticast(b) || isLinkLocalUnicast(b)) return false;
    if (ip.v4) return !(b[12] >= 224) && !(b[12] === 255 && b[13] === 255 && b[14] === 255 && b[15] === 255);
    return b[0] !== 0xff;
  }) as Fn);
  env.registerOperator('net.IP == net.IP', ((a: CelIP, b: CelIP) => a.v4 === b.v4 && ipString(a.ip) === ipString(b.ip)) as Fn);
  env.registerFunction('cidr(string): net.CIDR', parseCIDR as Fn);
  env.registerFunction('isCIDR(string): bool', ((s: string) => ok(() => parseCIDR(s))) as Fn);
  env.registerFunction('string(net.CIDR): string', ((c: CelCIDR) => `${ipString(c.cidr.ip)}/${c.cidr.bits}`) as Fn);
  env.registerFunction('net.CIDR.ip(): net.IP', ((c: CelCIDR) => new CelIP(c.cidr.ip, c.cidr.v4)) as Fn);
  env.registerFunction('net.CIDR.masked(): net.CIDR', ((c: CelCIDR) => new CelCIDR({ ...c.cidr, ip: c.cidr.network })) as Fn);
  env.registerFunction('net.CIDR.prefixLength(): int', ((c: CelCIDR) => BigInt(c.cidr.bits)) as Fn);
  const containsIP = (c: CelCIDR, ip: CelIP) => {
    if (c.cidr.v4 !== ip.v4) return false;
    const masked = parsePrefixStrict(`${ipString(ip.ip)}/${c.cidr.bits}`);
    return masked !== null && ipString(masked.network) === ipString(c.cidr.network);
  };
  env.registerFunction('net.CIDR.containsIP(net.IP): bool', containsIP as Fn);
  env.registerFunction('net.CIDR.containsIP(string): bool', ((c: CelCIDR, s: string) => containsIP(c, parseIP(s))) as Fn);
  const containsCIDR = (c: CelCIDR, other: CelCIDR) =>
    other.cidr.bits >= c.cidr.bits && containsIP(c, new CelIP(other.cidr.network, other.cidr.v4));
  env.registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', containsCIDR as Fn);
  env.registerFunction('net.CIDR.containsCIDR(string): bool', ((c: CelCIDR, s: string) => containsCIDR(c, parseCIDR(s))) as Fn);
  env.registerOperator(
    'net.CIDR == net.CIDR',
    ((a: CelCIDR, b: CelCIDR) =>
      a.cidr.v4 === b.cidr.v4 && a.cidr.bits === b.cidr.bits && ipString(a.cidr.ip) === ipString(b.cidr.ip)) as Fn,
  );
}

/** Kube's format library (library/format.go): the name formats, by name or as functions of `format`. */
function registerFormat(env: Environment): void {
  env.registerType('kubernetes.FormatNamespace', FormatNamespace);
  env.registerType('kubernetes.NamedFormat', CelFormat);
  env.registerConstant('format', 'kubernetes.FormatNamespace', new FormatNamespace());
  const prefix = (f: (s: string) => string[]) => (s: string) => f(s.endsWith('-') ? `${s.slice(0, -1)}a` : s);
  const formats: Record<string, CelFormat> = {
    dns1123Label: new CelFormat('dns1123Label', isDNS1123Label, 63),
    dns1123Subdomain: new CelFormat('dns1123Subdomain', isDNS1123Subdomain, 253),
    dns1035Label: new CelFormat('dns1035Label', isDNS1035Label, 63),
    qualifiedName: new CelFormat('qualifiedName', isQualifiedName, 316),
    dns1123LabelPrefix: new CelFormat('dns1123LabelPrefix', prefix(isDNS1123Label), 63),
    dns1123SubdomainPrefix: new CelFormat('dns1123SubdomainPrefix', prefix(isDNS1123Subdomain), 253),
    dns1035LabelPrefix: new CelFormat('dns1035LabelPrefix', prefix(isDNS1035Label), 63),
    labelValue: new CelFormat('labelValue', isValidLabelValue, 63),
  };
  for (const [name, f] of Object.entries(formats)) {
    env.registerFunction(`kubernetes.FormatNamespace.${name}(): kubernetes.NamedFormat`, (() => f) as Fn);
  }
  env.registerFunction('kubernetes.FormatNamespace.named(string): optional<kubernetes.NamedFormat>', ((_: unknown, name: string) =>
    Object.hasOwn(formats, name) ? Optional.of(formats[name]) : Optional.none()) as Fn);
  env.registerFunction('kubernetes.NamedFormat.validate(string): optional<list<string>>', ((f: CelFormat, s: string) => {
    const errs = f.check(s);
    return errs.length > 0 ? Optional.of(errs) : Optional.none();
  }) as Fn);
}

/** library.Semver: a parsed semantic version (blang/semver's Version). */
export class CelSemver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string[],
  ) {}
}

const NUMERIC = /^(0|[1-9][0-9]*)$/;
const IDENT = /^[0-9A-Za-z-]+$/;

/** blang/semver's Parse: MAJOR.MINOR.PATCH[-pre][+build], no leading zeros. */
function parseSemver(s: string): CelSemver {
  if (s.length === 0) throw new Error('Version string empty');
  const plus = s.indexOf('+');
  const main = plus >= 0 ? s.slice(0, plus) : s;
  const build = plus >= 0 ? s.slice(plus + 1) : undefined;
  const dash = main.indexOf('-');
  const core = dash >= 0 ? main.slice(0, dash) : main;
  const pre = dash >= 0 ? main.slice(dash + 1).split('.') : [];
  const parts = core.split('.');
  if (parts.length !== 3) throw new Error('No Major.Minor.Patch elements found');
  const names = ['major', 'minor', 'patch'];
  const nums = parts.map((p, i) => {
    if (!/^[0-9]+$/.test(p)) throw new Error(`Invalid character(s) found in ${names[i]} number ${JSON.stringify(p)}`);
    if (p.length > 1 && p[0] === '0')
      throw new Error(`${names[i][0].toUpperCase()}${names[i].slice(1)} number must not contain leading zeroes ${JSON.stringify(p)}`);
    return BigInt(p);
  });
  for (const id of pre) {
    if (id === '') throw new Error('Prerelease is empty');
    if (!IDENT.test(id)) throw new Error(`Invalid character(s) found in prerelease ${JSON.stringify(id)}`);
    if (/^[0-9]+$/.test(id) && !NUMERIC.test(id))
      throw new Error(`Prerelease number must not contain leading zeroes ${JSON.stringify(id)}`);
  }
  for (const id of build?.split('.') ?? []) {
    if (!IDENT.test(id)) throw new Error(`Invalid character(s) found in build meta data ${JSON.stringify(id)}`);
  }
  return new CelSemver(nums[0], nums[1], nums[2], pre);
}

/** The library's normalizeAndParse: a leading v dropped, leading zeros trimmed, missing minor/patch as 0. */
function normalizeSemver(input: string): CelSemver {
  const parts = input.replace(/^v/, '').split('.');
  const head = parts.slice(0, 2);
  const rest = parts.slice(2).join('.');
  const all = rest === '' && parts.length < 3 ? head : [...head, rest];
  const trimmed = all.map((p) => {
    if (p.length <= 1) return p;
    const t = p.replace(/^0+/, '');
    return t.length === 0 || !/^[0-9]/.test(t) ? `0${t}` : t;
  });
  if (trimmed.length < 3) {
    if (/[+-]/.test(trimmed[trimmed.length - 1])) throw new Error('short version cannot contain PreRelease/Build meta data');
    while (trimmed.length < 3) trimmed.push('0');
  }
  return parseSemver(trimmed.join('.'));
}

function compareSemver(a: CelSemver, b: CelSemver): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === y) continue;
    const xn = NUMERIC.test(x);
    const yn = NUMERIC.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

/** Kube's semver library (library/semverlib.go, version 1: with the normalizing overloads). */
function registerSemver(env: Environment): void {
  const S = 'kubernetes.Semver';
  env.registerType(S, CelSemver);
  const ok = (f: () => unknown) => {
    try {
      f();
      return true;
    } catch {
      return false;
    }
  };
  env.registerFunction(`semver(string): ${S}`, ((s: string) => parseSemver(s)) as Fn);
  env.registerFunction(`semver(string, bool): ${S}`, ((s: string, n: boolean) => (n ? normalizeSemver(s) : parseSemver(s))) as Fn);
  env.registerFunction('isSemver(string): bool', ((s: string) => ok(() => parseSemver(s))) as Fn);
  env.registerFunction('isSemver(string, bool): bool', ((s: string, n: boolean) =>
    ok(() => (n ? normalizeSemver(s) : parseSemver(s)))) as Fn);
  env.registerFunction(`${S}.isGreaterThan(${S}): bool`, ((a: CelSemver, b: CelSemver) => compareSemver(a, b) === 1) as Fn);
  env.registerFunction(`${S}.isLessThan(${S}): bool`, ((a: CelSemver, b: CelSemver) => compareSemver(a, b) === -1) as Fn);
  env.registerFunction(`${S}.compareTo(${S}): int`, ((a: CelSemver, b: CelSemver) => BigInt(compareSemver(a, b))) as Fn);
  env.registerFunction(`${S}.major(): int`, ((a: CelSemver) => a.major) as Fn);
  env.registerFunction(`${S}.minor(): int`, ((a: CelSemver) => a.minor) as Fn);
  env.registerFunction(`${S}.patch(): int`, ((a: CelSemver) => a.patch) as Fn);
  env.registerOperator(`${S} == ${S}`, ((a: CelSemver, b: CelSemver) => compareSemver(a, b) === 0) as Fn);
}

/** Everything kube adds to the standard library, on a fresh environment. */
export function registerKubernetesLibraries(env: Environment): void {
  registerLists(env);
  registerRegex(env);
  registerStrings(env);
  registerSets(env);
  registerURLs(env);
  registerQuantity(env);
  registerIPs(env);
  registerFormat(env);
  registerSemver(env);
}
