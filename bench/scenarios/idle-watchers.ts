// What 1,000 idle watchers cost kgate: its RSS with 1,000 open HTTPS watch streams (informer-style: from the
// list's resourceVersion, bookmarks allowed, nothing changing) minus its RSS just before, both settled. The
// streams are spread over a few keep-alive agents, the way many clients' connections would arrive.

import type https from 'node:https';
import { ensureNamespace, type BenchContext } from '../context.js';
import type { WatchStream } from '../http.js';
import { settledRssMb } from '../memory.js';
import { budget, info, progress, report, type Figure } from '../report.js';

const NAMESPACE = 'bench-idle';
const WATCHERS = 1_000;
const AGENTS = 4;
/** Opening all 1,000 TLS connections at once only measures the handshake storm; a few dozen at a time suffice. */
const OPEN_BATCH = 50;

export const IDLE_WATCHER_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'idle_watchers_1000_rss_mb', target: budget(50) }];

export async function benchIdleWatchers(ctx: BenchContext): Promise<void> {
  await ensureNamespace(ctx.http, NAMESPACE);
  const list = await ctx.http.json<{ metadata: { resourceVersion: string } }>('GET', `/api/v1/namespaces/${NAMESPACE}/pods`);
  const path = `/api/v1/namespaces/${NAMESPACE}/pods?watch=true&allowWatchBookmarks=true&resourceVersion=${list.metadata.resourceVersion}`;

  const before = await settledRssMb(ctx.kgate.pid);
  const agents: https.Agent[] = Array.from({ length: AGENTS }, () => ctx.http.watchAgent(Math.ceil(WATCHERS / AGENTS)));
  const streams: WatchStream[] = [];
  let unexpectedEvents = 0;
  try {
    progress(`idle watchers: opening ${WATCHERS} watch streams`);
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
    const after = await settledRssMb(ctx.kgate.pid);
    const cost = before === undefined || after === undefined ? undefined : after - before;
    if (unexpectedEvents > 0) progress(`idle watchers: ${unexpectedEvents} non-bookmark events on an idle namespace`);
    report({
      ...IDLE_WATCHER_FIGURES[0],
      kgate: cost,
      note: `VmRSS settled: ${before?.toFixed(0)} MB before, ${after?.toFixed(0)} MB with ${WATCHERS} streams over ${AGENTS} keep-alive agents`,
    });
    info('idle_watchers_rss_kb_each', cost === undefined ? undefined : (cost * 1024) / WATCHERS);
  } finally {
    for (const stream of streams) stream.close();
    for (const agent of agents) agent.destroy();
  }
}
