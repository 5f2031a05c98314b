// Keeps the Node authorizer's graph current (plugin/pkg/auth/authorizer/node/graph_populator.go): one list and one
// watch per kind on the storage (the watch cache, when on), as kube's populator follows informers, so a decision
// never reads etcd. Pods bound to a node, PersistentVolumes, and where kgate serves them VolumeAttachments and
// ResourceSlices. Like kube's, it is eventually consistent: a pod scheduled onto a node relates its secrets to that
// node once its watch event has arrived.
import type { Storage, StorageEvent, WatchHandle } from '../../storage/interface.js';
import { NodeGraph, type VertexType } from './graph.js';

/** etcd key prefixes (with the trailing slash) of the kinds the graph follows; absent kinds are not served. */
export interface GraphPrefixes {
  pods: string;
  persistentVolumes: string;
  volumeAttachments?: string;
  resourceSlices?: string;
}

type Kind = keyof GraphPrefixes;

export class NodeGraphPopulator {
  private graph = new NodeGraph();
  private readonly watches: WatchHandle[] = [];
  /** Per prefix: the revision its last list was read at; watch events up to it are already in. */
  private readonly floors = new Map<string, number>();
  private restarting: Promise<void> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly prefixes: GraphPrefixes,
  ) {}

  private kinds(): [Kind, string][] {
    return (Object.entries(this.prefixes) as [Kind, string | undefined][]).filter((e): e is [Kind, string] => e[1] !== undefined);
  }

  async start(): Promise<void> {
    const kinds = this.kinds();
    const lists = await Promise.all(kinds.map(([, prefix]) => this.storage.list(prefix)));
    // Built aside and swapped in one step, so a decision never sees half a graph.
    const graph = new NodeGraph();
    lists.forEach((list, i) => {
      const [kind, prefix] = kinds[i];
      this.floors.set(prefix, Math.max(this.floors.get(prefix) ?? 0, list.revision));
      for (const obj of list.items) add(graph, kind, obj);
    });
    this.graph = graph;
    for (const [kind, prefix] of kinds) {
      this.watches.push(
        await this.storage.watch(
          prefix,
          { afterRevision: this.floors.get(prefix) ?? 0, prefix: true },
          {
            onEvent: (e) => this.apply(kind, prefix, e),
            // A lost watch would leave kubelets judged by an old graph: start over from fresh lists.
            onError: () => this.restart(),
          },
        ),
      );
    }
  }

  private restart(): void {
    this.restarting ??= (async () => {
      await this.stop();
      this.floors.clear();
      await this.start();
    })().finally(() => (this.restarting = undefined));
  }

  async stop(): Promise<void> {
    await Promise.all(this.watches.splice(0).map((w) => w.stop()));
  }

  private apply(kind: Kind, prefix: string, e: StorageEvent): void {
    if (e.foreign || e.revision <= (this.floors.get(prefix) ?? 0)) return;
    const obj = e.object as { metadata?: { name?: string; namespace?: string }; spec?: { nodeName?: string } };
    const name = obj.metadata?.name ?? '';
    if (e.type !== 'DELETED') {
      add(this.graph, kind, e.object, e.prevObject);
      return;
    }
    if (kind === 'pods') {
      if (obj.spec?.nodeName) this.graph.deletePod(obj.metadata?.namespace ?? '', name);
    } else if (kind === 'persistentVolumes') this.graph.deletePV(name);
    else if (kind === 'volumeAttachments') this.graph.setVolumeAttachment(name, undefined);
    else this.graph.setResourceSlice(name, undefined);
  }

  /** Whether a path leads from the object to the node (NodeAuthorizer.hasPathFrom). */
  hasPathFrom(node: string, type: VertexType, namespace: string, name: string): boolean {
    return this.graph.hasPathFrom(node, type, namespace, name);
  }
}

function add(graph: NodeGraph, kind: Kind, obj: any, old?: any): void {
  const name: string = obj?.metadata?.name ?? '';
  if (kind === 'pods') graph.updatePod(obj, old);
  else if (kind === 'persistentVolumes') graph.updatePV(obj);
  else if (kind === 'volumeAttachments') graph.setVolumeAttachment(name, obj?.spec?.nodeName);
  else graph.setResourceSlice(name, obj?.spec?.nodeName);
}
