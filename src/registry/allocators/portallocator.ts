// NodePort allocation as kube keeps it: one RangeAllocation (v1) at <prefix>/ranges/servicenodeports whose `data` is a
// bitmap of the --service-node-port-range (bit i = port base+i, big-endian bytes of the big integer, as
// allocator.AllocationBitmap snapshots it), changed only by a txn on its mod revision so processes cannot collide.
// After kube pkg/registry/core/service/portallocator/allocator.go (random scan of the upper sub-range first, then
// the lower one) and operation.go (allocations made at once and undone unless committed; releases deferred to commit).
import { randomInt } from 'node:crypto';
import type { KubeObject } from '../../apimachinery/meta.js';
import { StorageError, type Storage } from '../../storage/interface.js';
import { AllocationError } from './ipallocator.js';

export const ERR_PORT_FULL = 'range is full';
export const ERR_PORT_ALLOCATED = 'provided port is already allocated';

export interface PortRange {
  base: number;
  size: number;
}

function rangeText(r: PortRange): string {
  return `${r.base}-${r.base + r.size - 1}`;
}

function decode(data: unknown): bigint {
  if (typeof data !== 'string' || data === '') return 0n;
  const hex = Buffer.from(data, 'base64').toString('hex');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}

function encode(bits: bigint): string {
  if (bits === 0n) return '';
  let hex = bits.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64');
}

export class PortAllocator {
  /** min(max(16, size/32), 128) ports at the bottom are left for static allocation. */
  private readonly offset: number;

  constructor(
    readonly range: PortRange,
    private readonly storage: Storage,
    private readonly key: string,
  ) {
    this.offset = range.size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(range.size / 32)), 128);
  }

  get rangeText(): string {
    return rangeText(this.range);
  }

  contains(port: number): boolean {
    return port >= this.range.base && port - this.range.base < this.range.size;
  }

  notInRange(): AllocationError {
    return new AllocationError(`provided port is not in the valid range. The range of valid ports is ${this.rangeText}`);
  }

  /** The stored bitmap (an empty one when absent) and its mod revision (0: absent). */
  private async read(): Promise<{ bits: bigint; revision: number }> {
    const current = await this.storage.get(this.key);
    if (!current) return { bits: 0n, revision: 0 };
    // A bitmap of another range (the flag changed) counts as empty here; kube's repair controller rebuilds it.
    const bits = current.range === this.rangeText ? decode(current.data) : 0n;
    return { bits, revision: Number(current.metadata?.resourceVersion) };
  }

  private object(bits: bigint): KubeObject {
    return { kind: 'RangeAllocation', apiVersion: 'v1', metadata: { creationTimestamp: null }, range: this.rangeText, data: encode(bits) };
  }

  /** Read, change, write on the revision read; again from a fresh read when another writer came first. */
  private async casUpdate<T>(change: (bits: bigint) => { bits: bigint; result: T }): Promise<T> {
    for (;;) {
      const { bits, revision } = await this.read();
      const next = change(bits);
      if (next.bits === bits && revision !== 0) return next.result;
      try {
        if (revision === 0) await this.storage.create(this.key, this.object(next.bits));
        else await this.storage.update(this.key, revision, this.object(next.bits));
        return next.result;
      } catch (e) {
        if (e instanceof StorageError && (e.code === 'Conflict' || e.code === 'KeyExists' || e.code === 'KeyNotFound')) continue;
        throw e;
      }
    }
  }

  /** Makes sure the RangeAllocation exists (kube's repair controller writes it at start-up). */
  async ensure(): Promise<void> {
    await this.casUpdate((bits) => ({ bits, result: undefined }));
  }

  /** Reserves the given ports at once; refused: the index of the first port refused and why. */
  async allocate(ports: number[], dryRun: boolean): Promise<void> {
    for (const p of ports) if (!this.contains(p)) throw this.notInRange();
    if (dryRun) {
      const { bits } = await this.read();
      for (const p of ports) if (bits & (1n << BigInt(p - this.range.base))) throw new AllocationError(ERR_PORT_ALLOCATED);
      return;
    }
    await this.casUpdate((bits) => {
      let next = bits;
      for (const p of ports) {
        const bit = 1n << BigInt(p - this.range.base);
        if (next & bit) throw new AllocationError(ERR_PORT_ALLOCATED);
        next |= bit;
      }
      return { bits: next, result: undefined };
    });
  }

  /** Picks and reserves a free port (AllocateNext); ERR_PORT_FULL when none is left. */
  async allocateNext(avoid: ReadonlySet<number>, dryRun: boolean): Promise<number> {
    const pick = (bits: bigint): number => {
      const scan = (from: number, to: number): number | undefined => {
        const size = to - from;
        if (size <= 0) return undefined;
        const start = randomInt(size);
        for (let i = 0; i < size; i++) {
          const offset = from + ((start + i) % size);
          if (!(bits & (1n << BigInt(offset))) && !avoid.has(this.range.base + offset)) return offset;
        }
        return undefined;
      };
      const offset = scan(this.offset, this.range.size) ?? scan(0, this.offset);
      if (offset === undefined) throw new AllocationError(ERR_PORT_FULL);
      return offset;
    };
    if (dryRun) return this.range.base + pick((await this.read()).bits);
    return this.casUpdate((bits) => {
      const offset = pick(bits);
      return { bits: bits | (1n << BigInt(offset)), result: this.range.base + offset };
    });
  }

  /** Frees ports; ports outside the range or not allocated are ignored, as kube's Release does. */
  async release(ports: number[]): Promise<void> {
    const inRange = ports.filter((p) => this.contains(p));
    if (inRange.length === 0) return;
    await this.casUpdate((bits) => {
      let next = bits;
      for (const p of inRange) next &= ~(1n << BigInt(p - this.range.base));
      return { bits: next, result: undefined };
    });
  }
}
