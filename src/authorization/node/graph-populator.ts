// Keeps the Node authorizer's graph current (plugin/pkg/auth/authorizer/node/graph_populator.go): one list and one
// watch per kind on the storage (the watch cache, when on), as kube's populator follows informers, so a decision
// never reads etcd. Pods bound to a node, PersistentVolumes, and where kgate serves them VolumeAttachments and
// ResourceSlices. Like kube's, it is eventually consistent: a pod scheduled onto a node relates its secrets to that
// node once its watch event has arrived.
import { PrefixInformer } from '../../storage/informer.js';
import type { Storage, StorageEvent } from '../../storage/interface.js';
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
  private readonly informer: PrefixInformer;

  constructor(storage: Storage, prefixes: GraphPrefixes) {
    const kinds = (Object.entries(prefixes) as [Kind, string | undefined][]).filter((e): e is [Kind, string] => e[1] !== undefined);
    this.informer = new PrefixInformer(
      storage,
      kinds.map(([, prefix]) => prefix),
      {
        replace: (lists) => {
          // Built aside and swapped in one step, so a decision never sees half a graph.
          const graph = new NodeGraph();
          lists.forEach((list, i) => {
            for (const obj of list.items) add(graph, kinds[i][0], obj);
          });
          this.graph = graph;
        },
        apply: (i, e) => this.apply(kinds[i][0], e),
      },
    );
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  private apply(kind: Kind, e: StorageEvent): void {
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
