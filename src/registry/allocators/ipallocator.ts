// ClusterIP allocation the way kube v1.34 does it by default (MultiCIDRServiceAllocator GA, DisableAllocatorDualWrite
// GA: no legacy bitmap at /registry/ranges/serviceips): an IP is taken by creating its IPAddress object
// (networking.k8s.io/v1) at <prefix>/ipaddresses/<ip>, an etcd txn on createRevision == 0, so two kgate processes can
// never both win it. After kube pkg/registry/core/service/ipallocator/ipallocator.go (one allocator per CIDR: the
// upper sub-range first from a random offset, then the lower one, skipping addresses known taken) and
// cidrallocator.go (the MetaAllocator: the CIDR holding a requested IP, ErrMismatchedNetwork otherwise).
import { randomBytes, randomUUID } from 'node:crypto';
import { ipString, isIPv4, parseCIDRSloppy, parseIPSloppy, type IPBytes } from '../../apimachinery/ip.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { formatTime } from '../../apimachinery/time.js';
import { StorageError, type Storage, type WatchHandle } from '../../storage/interface.js';

export const ERR_FULL = 'range is full';
export const ERR_ALLOCATED = 'provided IP is already allocated';
export const ERR_MISMATCHED_NETWORK = 'the provided network does not match the current range';

/** An allocation refused; `message` is kube's error text. */
export class AllocationError extends Error {}

export type IPFamily = 'IPv4' | 'IPv6';

/** Who an IPAddress belongs to (its spec.parentRef). */
export interface ServiceRef {
  namespace: string;
  name: string;
}

/** One --service-cluster-ip-range CIDR: its usable addresses as numbers. */
class CIDRRange {
  readonly family: IPFamily;
  readonly first: bigint;
  readonly last: bigint;
  readonly network: bigint;
  readonly offsetStart: bigint;
  readonly text: string;

  constructor(cidr: string) {
    const parsed = parseCIDRSloppy(cidr);
    if (!parsed) throw new Error(`invalid service CIDR ${cidr}`);
    this.family = parsed.v4 ? 'IPv4' : 'IPv6';
    this.text = cidr;
    const width = parsed.v4 ? 32 : 128;
    const hostBits = BigInt(width - parsed.bits);
    this.network = toNumber(parsed.network, parsed.v4);
    const broadcast = this.network + (1n << hostBits) - 1n;
    // Never the network's ".0" address; for IPv4 never its broadcast address.
    this.first = this.network + 1n;
    this.last = parsed.v4 ? broadcast - 1n : broadcast;
    // KEP-3070: min(max(16, size/16), 256) addresses at the bottom are left for static allocation.
    const cidrSize = 1n << hostBits;
    let offset = 0n;
    if (cidrSize > 16n) offset = clamp(cidrSize / 16n, 16n, 256n);
    this.offsetStart = this.first + offset;
  }

  /** servicecidr.PrefixContainsIP: inside the prefix, not its network address, not the IPv4 broadcast. */
  contains(ip: bigint): boolean {
    return ip >= this.first && ip <= this.last;
  }

  ipText(n: bigint): string {
    return ipString(fromNumber(n, this.family === 'IPv4'));
  }
}

function clamp(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}

function toNumber(ip: IPBytes, v4: boolean): bigint {
  const bytes = v4 ? ip.subarray(12) : ip;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function fromNumber(n: bigint, v4: boolean): IPBytes {
  const out = new Uint8Array(16);
  if (v4) {
    out[10] = 0xff;
    out[11] = 0xff;
  }
  for (let i = 15, v = n; i >= (v4 ? 12 : 0); i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

function randomBelow(n: bigint): bigint {
  if (n <= 0n) return 0n;
  const r = BigInt(`0x${randomBytes(16).toString('hex')}`);
  return r % n;
}

/**
 * IsValidPathSegmentName on the parent's name, as the IPAddress's validation checks it: the reason kube's create of
 * the IPAddress fails for a Service without a usable name.
 */
function parentRefProblem(ip: string, ref: ServiceRef): string | undefined {
  let detail: string | undefined;
  if (ref.name === '') detail = 'spec.parentRef.name: Required value';
  else if (ref.name === '.' || ref.name === '..')
    detail = `spec.parentRef.name: Invalid value: ${JSON.stringify(ref.name)}: may not be '${ref.name}'`;
  else {
    for (const bad of ['/', '%']) {
      if (ref.name.includes(bad)) {
        detail = `spec.parentRef.name: Invalid value: ${JSON.stringify(ref.name)}: may not contain '${bad}'`;
        break;
      }
    }
  }
  return detail && `IPAddress.networking.k8s.io ${JSON.stringify(ip)} is invalid: ${detail}`;
}

/** The IPAddress object kube's allocator creates, in its Go JSON layout. */
export function ipAddressObject(ip: string, family: IPFamily, ref: ServiceRef): KubeObject {
  const now = formatTime();
  return {
    kind: 'IPAddress',
    apiVersion: 'networking.k8s.io/v1',
    metadata: {
      name: ip,
      uid: randomUUID(),
      creationTimestamp: now,
      labels: { 'ipaddress.kubernetes.io/ip-family': family, 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' },
      managedFields: [
        {
          manager: 'kube-apiserver',
          operation: 'Update',
          apiVersion: 'networking.k8s.io/v1',
          time: now,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:labels': { '.': {}, 'f:ipaddress.kubernetes.io/ip-family': {}, 'f:ipaddress.kubernetes.io/managed-by': {} },
            },
            'f:spec': { 'f:parentRef': { '.': {}, 'f:name': {}, 'f:namespace': {}, 'f:resource': {} } },
          },
        },
      ],
    },
    spec: { parentRef: { resource: 'services', namespace: ref.namespace, name: ref.name } },
  };
}

/**
 * The ClusterIP allocator of one IP family over that family's service CIDRs. Which addresses are taken is kept in
 * memory from a watch on the IPAddress keys (kube's informer): it only steers the search; the create txn decides.
 */
export class IPFamilyAllocator {
  private readonly ranges: CIDRRange[];
  private readonly taken = new Set<string>();
  private watch: WatchHandle | undefined;

  constructor(
    readonly family: IPFamily,
    cidrs: string[],
    private readonly storage: Storage,
    private readonly prefix: string,
  ) {
    this.ranges = cidrs.map((c) => new CIDRRange(c));
  }

  /** The first CIDR's text (the one dry runs answer from). */
  get cidr(): string {
    return this.ranges[0].text;
  }

  private key(ip: string): string {
    return `${this.prefix}${ip}`;
  }

  async start(): Promise<void> {
    const list = await this.storage.list(this.prefix, { withKeys: true });
    this.taken.clear();
    for (const key of list.keys ?? []) this.taken.add(key.slice(this.prefix.length));
    this.watch = await this.storage.watch(
      this.prefix,
      { afterRevision: list.revision, prefix: true, previousValues: false },
      {
        onEvent: (e) => {
          const ip = e.key.slice(this.prefix.length);
          if (e.type === 'DELETED') this.taken.delete(ip);
          else this.taken.add(ip);
        },
        // A lost watch only makes the hints stale; the next start (or a restart) relists.
        onError: () => {
          void this.restart();
        },
      },
    );
  }

  private async restart(): Promise<void> {
    await this.watch?.stop().catch(() => undefined);
    this.watch = undefined;
    await this.start().catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.watch?.stop();
  }

  /** Reserves a requested IP (AllocateService); kube's error text when refused. */
  async allocate(ipText: string, ref: ServiceRef, dryRun: boolean): Promise<void> {
    const parsed = parseIPSloppy(ipText)!;
    const v4 = this.family === 'IPv4';
    const n = toNumber(parsed, v4);
    if (dryRun) {
      // kube's dry run asks one allocator of the family for its range only.
      const range = this.ranges[0];
      if (!range.contains(n)) {
        throw new AllocationError(
          `the provided IP (${ipString(parsed)}) is not in the valid range. The range of valid IPs is ${range.text}`,
        );
      }
      return;
    }
    if (!this.ranges.some((r) => r.contains(n))) throw new AllocationError(ERR_MISMATCHED_NETWORK);
    const name = ipString(parsed);
    if (!(await this.create(name, ref))) throw new AllocationError(ERR_ALLOCATED);
  }

  /** Picks and reserves a free IP (AllocateNextService); ERR_FULL when none is left. */
  async allocateNext(ref: ServiceRef, dryRun: boolean): Promise<string> {
    // kube's dry run does not look for a free address: it answers the range's own (network) address.
    if (dryRun) return this.ranges[0].ipText(this.ranges[0].network);
    for (const range of this.ranges) {
      const upper = await this.allocateFrom(range, range.offsetStart, range.last, ref);
      if (upper) return upper;
      if (range.offsetStart > range.first) {
        const lower = await this.allocateFrom(range, range.first, range.offsetStart - 1n, ref);
        if (lower) return lower;
      }
    }
    throw new AllocationError(ERR_FULL);
  }

  private async allocateFrom(range: CIDRRange, first: bigint, last: bigint, ref: ServiceRef): Promise<string | undefined> {
    if (last < first) return undefined;
    const size = last - first + 1n;
    const start = randomBelow(size);
    for (let i = 0n; i < size; i++) {
      const name = range.ipText(first + ((start + i) % size));
      if (this.taken.has(name)) continue;
      // An IPAddress that fails validation fails for every address: kube tries them all and reports the range full.
      if (parentRefProblem(name, ref)) return undefined;
      if (await this.create(name, ref)) return name;
    }
    return undefined;
  }

  /** The IPAddress create txn: true when this call took the address. */
  private async create(name: string, ref: ServiceRef): Promise<boolean> {
    const problem = parentRefProblem(name, ref);
    if (problem) throw new AllocationError(problem);
    try {
      await this.storage.create(this.key(name), ipAddressObject(name, this.family, ref));
      this.taken.add(name);
      return true;
    } catch (e) {
      if (e instanceof StorageError && e.code === 'KeyExists') {
        this.taken.add(name);
        return false;
      }
      throw e;
    }
  }

  /** Deletes the IP's IPAddress; releasing an address that is not allocated is a no-op, as in kube. */
  async release(ipText: string): Promise<void> {
    const parsed = parseIPSloppy(ipText);
    if (!parsed) return;
    const key = this.key(ipString(parsed));
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.storage.get(key);
      if (!current) return;
      try {
        await this.storage.delete(key, Number(current.metadata?.resourceVersion));
        this.taken.delete(ipString(parsed));
        return;
      } catch (e) {
        if (e instanceof StorageError && (e.code === 'KeyNotFound' || e.code === 'Conflict')) continue;
        throw e;
      }
    }
  }
}

/** The family of an IP's text. */
export function familyOf(ip: string): IPFamily {
  const parsed = parseIPSloppy(ip);
  return parsed && isIPv4(parsed) ? 'IPv4' : 'IPv6';
}
