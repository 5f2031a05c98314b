// What every scenario gets for one API server under test (kgate, or the reference kube-apiserver beside it): the
// server's process, an HTTPS client with its admin token, its own etcd and a raw etcd3 client for that etcd, plus
// helpers to prepare namespaces and the exact pod JSON kgate stores (the raw etcd baseline writes those bytes).

import { randomUUID } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import type { EtcdProcess } from '../test/support/etcd.js';
import type { KgateHttp } from './http.js';
import { podManifest } from './pod.js';
import { getValue } from './raw-etcd.js';

/** A running API server process; replaced by BenchContext.restart(). */
export interface ServerProcess {
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 on /readyz. */
  readyMs: number;
  rssMb(): number | undefined;
  stop(): Promise<void>;
}

export interface BenchContext {
  /** Which server this is; also the prefix of its CPU figures. */
  side: 'kgate' | 'kube';
  /** This server's own etcd; both servers keep pods under /registry/pods/<namespace>/<name>. */
  etcd: EtcdProcess;
  etcdPid: number | undefined;
  raw: Etcd3;
  server: ServerProcess;
  token: string;
  /** A token for bench-user, who holds nothing but what the rbac scenario grants. */
  userToken: string;
  http: KgateHttp;
  /**
   * kgate only: the JSON kgate stores for a pod, so setup can write pods straight to etcd. kube-apiserver stores
   * protobuf, so its side creates pods through its API or rewrites bytes it stored (see sides.ts).
   */
  storedPod?: StoredPodFactory;
  /** Stops the server and starts it again on the same etcd; server, token and http are replaced. */
  restart(): Promise<void>;
}

/** kgate's context, which also serves the raw etcd baseline (its etcd, kgate's stored bytes). */
export type KgateContext = BenchContext & { storedPod: StoredPodFactory };

/** Builds the value kgate would store for a pod (same fields, same size), for raw writes and raw fills. */
export type StoredPodFactory = (namespace: string, name: string, labels?: Record<string, string>) => Buffer;

/** Where kgate keeps a pod, as kube-apiserver does: /registry/pods/<namespace>/<name>. */
export function podKey(namespace: string, name: string): string {
  return `/registry/pods/${namespace}/${name}`;
}

/** Prefix for the raw baseline's own writes, apart from kgate's /registry so neither sees the other's keys. */
export function rawKey(namespace: string, name: string): string {
  return `/bench-raw/pods/${namespace}/${name}`;
}

/**
 * A namespace with its `default` ServiceAccount: kgate makes that account itself, kube-apiserver alone has no
 * controller to make it, and both servers run ServiceAccount admission, which needs it for every pod.
 */
export async function ensureNamespace(http: KgateHttp, name: string): Promise<void> {
  const reply = await http.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (reply.status !== 201 && reply.status !== 409) {
    throw new Error(`create namespace ${name} → ${reply.status}: ${reply.text.slice(0, 300)}`);
  }
  const account = await http.request('POST', `/api/v1/namespaces/${name}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default' },
  });
  if (account.status !== 201 && account.status !== 409) {
    throw new Error(`create serviceaccount ${name}/default → ${account.status}: ${account.text.slice(0, 300)}`);
  }
}

interface StoredPod {
  metadata: Record<string, unknown> & { labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Creates one pod through kgate and reads back the bytes it stored, so raw values are byte-for-byte realistic. */
export async function learnStoredPod(http: KgateHttp, raw: Etcd3): Promise<StoredPodFactory> {
  const template = JSON.parse((await getValue(raw, podKey(await createTemplatePod(http), 'template'))).toString('utf8')) as StoredPod;
  return podFactory(template);
}

/**
 * For kube-apiserver, which stores protobuf: the pod as it serves it in JSON. kube-apiserver decodes JSON values
 * in etcd as well, so raw fills and raw watch writes under its prefix reach its cache as they reach kgate's.
 */
export async function learnServedPod(http: KgateHttp): Promise<StoredPodFactory> {
  const namespace = await createTemplatePod(http);
  const reply = await http.request('GET', `/api/v1/namespaces/${namespace}/pods/template`);
  if (reply.status !== 200) throw new Error(`get template pod → ${reply.status}: ${reply.text.slice(0, 300)}`);
  return podFactory(JSON.parse(reply.text) as StoredPod);
}

async function createTemplatePod(http: KgateHttp): Promise<string> {
  const namespace = 'bench-template';
  await ensureNamespace(http, namespace);
  const reply = await http.request('POST', `/api/v1/namespaces/${namespace}/pods`, podManifest(namespace, 'template'));
  if (reply.status !== 201 && reply.status !== 409) throw new Error(`create template pod → ${reply.status}: ${reply.text.slice(0, 300)}`);
  return namespace;
}

function podFactory(template: StoredPod): StoredPodFactory {
  return (ns, name, labels) => {
    const metadata = { ...template.metadata, name, namespace: ns, uid: randomUUID() };
    if (labels) metadata.labels = { ...template.metadata.labels, ...labels };
    return Buffer.from(JSON.stringify({ ...template, metadata }));
  };
}
