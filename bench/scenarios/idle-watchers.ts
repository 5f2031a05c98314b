// What 1,000 idle watchers cost each server: its RSS with 1,000 open HTTPS watch streams (informer-style: from the
// list's resourceVersion, bookmarks allowed, nothing changing) minus its RSS just before, both settled. The
// streams are spread over a few keep-alive agents, the way many clients' connections would arrive.

import type https from 'node:https';
import { ensureNamespace, type BenchContext } from '../context.js';
import type { WatchStream } from '../http.js';
import { settledRssMb } from '../memory.js';
import { budget, info, progress, report, type Figure } from '../report.js';
import { onEachServer, type Sides } from '../sides.js';

const NAMESPACE = 'bench-idle';
const WATCHERS = 1_000;
const AGENTS = 4;
/** Opening all 1,000 TLS connections at once only measures the handshake storm; a few dozen at a time suffice. */
const OPEN_BATCH = 50;

export const IDLE_WATCHER_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'idle_watchers_1000_rss_mb', target: budget(50) }];

interface IdleWatcherCost {
  cost: number | undefined;
  note: string;
}

export async function benchIdleWatchers(sides: Sides): Promise<void> {
  const servers = await onEachServer(sides, idleWatcherCost);
  report({
    ...IDLE_WATCHER_FIGURES[0],
    kgate: servers.kgate.cost,
    kube: servers.kube?.cost,
    cpu: servers.cpu,
    note: `kgate: ${servers.kgate.note}${servers.kube ? `; kube: ${servers.kube.note}` : ''}`,
  });
  const each = (cost: number | undefined): number | undefined => (cost === undefined ? undefined : (cost * 1024) / WATCHERS);
  info('idle_watchers_rss_kb_each', each(servers.kgate.cost), undefined, undefined, each(servers.kube?.cost));
}

async function idleWatcherCost(ctx: BenchContext): Promise<IdleWatcherCost> {
  await ensureNamespace(ctx.http, NAMESPACE);
  const list = await ctx.http.json<{ metadata: { resourceVersion: string } }>('GET', `/api/v1/namespaces/${NAMESPACE}/pods`);
  const path = `/api/v1/namespaces/${NAMESPACE}/pods?watch=true&allowWatchBookmarks=true&resourceVersion=${list.metadata.resourceVersion}`;

  const before = await settledRssMb(ctx.server.pid);
  const agents: https.Agent[] = Array.from({ length: AGENTS }, () => ctx.http.watchAgent(Math.ceil(WATCHERS / AGENTS)));
  const streams: WatchStream[] = [];
  let unexpectedEvents = 0;
  try {
    progress(`idle watchers: opening ${WATCHERS} watch streams on ${ctx.side}`);
    for (let opened = 0; opened < WATCHERS; opened += OPEN_BATCH) {
      const batch: WatchStream[] = [];
      for (let i = opened; i < Math.min(opened + OPEN_BATCH, WATCHERS); i++) {
        batch.push(
          ctx.http.watch(
            path,
            (event) => {
              if (event.type !== 'BOOKMARK') unexpectedEvents++;
            },
            agents[i % AGENTS],
          ),
        );
      }
      streams.push(...batch);
      await Promise.all(batch.map((stream) => stream.established));
    }
    const after = await settledRssMb(ctx.server.pid);
    const cost = before === undefined || after === undefined ? undefined : after - before;
    if (unexpectedEvents > 0) progress(`idle watchers: ${unexpectedEvents} non-bookmark events on an idle namespace (${ctx.side})`);
    return {
      cost,
      note: `VmRSS settled: ${before?.toFixed(0)} MB before, ${after?.toFixed(0)} MB with ${WATCHERS} streams over ${AGENTS} keep-alive agents`,
    };
  } finally {
    for (const stream of streams) stream.close();
    for (const agent of agents) agent.destroy();
  }
}
