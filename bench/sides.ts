// The servers one figure compares: kgate and, when `make reference` built it, the reference kube-apiserver, each over
// its own fresh etcd. onEachServer measures them one after the other, never at once (two cores), and alternates
// which goes first from one call to the next so neither always runs on a warmer or quieter machine. Each run is
// metered from /proc: the CPU seconds of the server, of its etcd, of this process (the load generator) and of the
// other, idle server, which keeps running beside it. Also the two ways setup puts pods in a server's etcd.

import { randomUUID } from 'node:crypto';
import { runConcurrent } from './concurrency.js';
import { podKey, type BenchContext, type KgateContext } from './context.js';
import { cpuSeconds } from './memory.js';
import { podManifest, type PodManifest } from './pod.js';
import { getValue, putValue } from './raw-etcd.js';
import type { CpuSplit } from './report.js';

export interface Sides {
  kgate: KgateContext;
  kube?: BenchContext;
}

export interface PerServer<R> {
  kgate: R;
  /** Undefined when no reference kube-apiserver runs. */
  kube?: R;
  cpu: CpuSplit;
}

let kubeFirst = false;

/** Starts counting CPU for these processes; the returned function gives the seconds each used since. */
export function meterCpu(pids: Record<string, number | undefined>): () => CpuSplit {
  const before = Object.entries(pids).map(([name, pid]) => [name, pid, cpuSeconds(pid)] as const);
  return () => {
    const used: CpuSplit = {};
    for (const [name, pid, start] of before) {
      const now = cpuSeconds(pid);
      used[name] = now === undefined || start === undefined ? undefined : now - start;
    }
    return used;
  };
}

/** Runs `measure` on kgate and on kube-apiserver (if any), one at a time, in alternating order. */
export async function onEachServer<R>(sides: Sides, measure: (ctx: BenchContext) => Promise<R>): Promise<PerServer<R>> {
  const order = sides.kube ? (kubeFirst ? [sides.kube, sides.kgate] : [sides.kgate, sides.kube]) : [sides.kgate];
  kubeFirst = !kubeFirst;
  const results = new Map<string, R>();
  const split = new Map<string, CpuSplit>();
  for (const ctx of order) {
    const other = ctx === sides.kgate ? sides.kube : sides.kgate;
    const meter = meterCpu({
      [ctx.side]: ctx.server.pid,
      [`${ctx.side}_etcd`]: ctx.etcdPid,
      [`${ctx.side}_client`]: process.pid,
      ...(other && { [`idle_${other.side}`]: other.server.pid }),
    });
    results.set(ctx.side, await measure(ctx));
    split.set(ctx.side, meter());
  }
  // Printed kgate's first whatever the order, so lines compare at a glance.
  return { kgate: results.get('kgate') as R, kube: results.get('kube'), cpu: { ...split.get('kgate'), ...split.get('kube') } };
}

/** Runs the raw etcd baseline (kgate's etcd, the etcd3 client in this process) and meters it. */
export async function onRawEtcd<R>(sides: Sides, measure: () => Promise<R>): Promise<{ result: R; cpu: CpuSplit }> {
  const meter = meterCpu({ etcd: sides.kgate.etcdPid, etcd_client: process.pid });
  const result = await measure();
  return { result, cpu: meter() };
}

export interface SeedPod {
  name: string;
  labels?: Record<string, string>;
}

/**
 * Puts pods in place before a figure, outside its clock: on kgate straight to etcd with the bytes kgate stores (as
 * the single-server bench always did), on kube-apiserver through its API, since it stores protobuf.
 */
export async function seedPods(ctx: BenchContext, namespace: string, pods: SeedPod[]): Promise<void> {
  const storedPod = ctx.storedPod;
  if (storedPod) {
    await Promise.all(pods.map((pod) => putValue(ctx.raw, podKey(namespace, pod.name), storedPod(namespace, pod.name, pod.labels))));
    return;
  }
  await runConcurrent(32, pods.length, async (i) => {
    const manifest = podManifest(namespace, pods[i].name);
    if (pods[i].labels) manifest.metadata.labels = { ...manifest.metadata.labels, ...pods[i].labels };
    const reply = await ctx.http.request('POST', `/api/v1/namespaces/${namespace}/pods`, manifest);
    if (reply.status !== 201 && reply.status !== 409)
      throw new Error(`seed ${namespace}/${pods[i].name} → ${reply.status}: ${reply.text.slice(0, 200)}`);
  });
}

/**
 * The bytes a server stored for a pod it created through its API, with same-length strings swapped: valid in JSON
 * and in protobuf alike (a protobuf string is length-prefixed, so an equal-length value keeps every length right).
 * Lets setup and watch updates write straight to either server's etcd without encoding kube's protobuf here.
 */
export interface StoredBytes {
  /** The stored value with each `from` replaced by its `to` (equal lengths), and a fresh uid. */
  with(replacements: Array<[from: string, to: string]>): Buffer;
}

export async function storedBytesOf(ctx: BenchContext, manifest: PodManifest): Promise<StoredBytes> {
  const { namespace, name } = manifest.metadata;
  const created = await ctx.http.request('POST', `/api/v1/namespaces/${namespace}/pods`, manifest);
  if (created.status !== 201) throw new Error(`create ${namespace}/${name} → ${created.status}: ${created.text.slice(0, 200)}`);
  const uid = (JSON.parse(created.text) as { metadata: { uid: string } }).metadata.uid;
  const stored = await getValue(ctx.raw, podKey(namespace, name));
  return {
    with(replacements) {
      let value = stored;
      for (const [from, to] of [...replacements, [uid, randomUUID()] as [string, string]]) {
        if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error(`cannot swap ${from} for ${to}: lengths differ`);
        value = replaceAll(value, Buffer.from(from), Buffer.from(to));
      }
      return value;
    },
  };
}

function replaceAll(haystack: Buffer, from: Buffer, to: Buffer): Buffer {
  let at = haystack.indexOf(from);
  if (at < 0) throw new Error(`stored pod does not contain ${from.toString()}`);
  const out = Buffer.from(haystack);
  while (at >= 0) {
    to.copy(out, at);
    at = haystack.indexOf(from, at + from.length);
  }
  return out;
}
