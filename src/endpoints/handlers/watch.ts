// WATCH (handlers/watch.go): a 200 stream of newline-delimited JSON events fed by a native etcd watch.
// resourceVersion rules: unset or "0" → synthetic ADDED events for the current state, then changes;
// N → changes after N; sendInitialEvents=true → current state, then the `k8s.io/initial-events-end`
// bookmark, then changes. A compacted start revision is one ERROR event carrying a 410 Expired Status.
import { resourceExpired, StatusError } from '../../apimachinery/errors.js';
import type { WatchEventOut } from '../../registry/store.js';
import type { KubeObject, WatchHandle } from '../../storage/interface.js';
import { encode } from '../responses.js';
import { watchEventJSON } from '../serialize.js';
import { partialObject, renderTable, wantsPartial, wantsTable } from '../tables.js';
import { parseFilter, parseListQuery, parseResourceVersion, withRequestedName } from './options.js';
import type { ResourceScope } from './scope.js';

export interface WatchSettings {
  /** How often an idle watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkIntervalMs: number;
  /** --min-request-timeout: a watch without timeoutSeconds ends after a random time in [min, 2*min]. */
  minRequestTimeoutSeconds: number;
  /**
   * A watcher whose client reads slower than events arrive is closed once this many bytes wait for it,
   * rather than growing memory without bound (the cacher terminates blocked watchers the same way).
   * Its client re-watches from its last resourceVersion.
   */
  maxPendingBytes: number;
  /** Where each open watch leaves its closer while it runs, so shutdown can end every stream cleanly. */
  open?: Set<() => void>;
}

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export async function watchHandler(scope: ResourceScope, settings: WatchSettings): Promise<void> {
  const { ctx, resource, store } = scope;
  const q = scope.query;
  const opts = parseListQuery(q, true);
  const filter = withRequestedName(parseFilter(q, store.fieldSet), scope.request.name);
  const mediaType = scope.negotiated.mediaType;
  const asTable = wantsTable(scope.negotiated);
  const asPartial = wantsPartial(scope.negotiated);
  // A malformed resourceVersion is the storage layer's raw error (a 500) before any stream starts.
  if (opts.resourceVersion !== undefined) parseResourceVersion(opts.resourceVersion, 'get');

  // The stream is written straight to the response (no intermediate stream): one less buffer and object per
  // watcher, and res.writableLength is exactly what the client has not read yet (over HTTP/2, what the stream's
  // flow-control window has not let through).
  ctx.respond = false;
  const out = ctx.res;
  out.writeHead(200, {
    'Content-Type': mediaType === 'application/json' ? 'application/json' : `${mediaType};stream=watch`,
    'Cache-Control': 'no-cache, private',
  });

  let closed = false;
  let handle: WatchHandle | undefined;
  let lastRevision = 0;
  const timers: NodeJS.Timeout[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    settings.open?.delete(close);
    for (const t of timers) clearTimeout(t);
    void handle?.stop().catch(() => undefined);
    out.end();
  };
  ctx.req.on('close', close);
  ctx.res.on('close', close);
  settings.open?.add(close);

  // The initial burst (current state or replayed history) may exceed the limit before the client could read
  // anything; only what piles up beyond what is left of it counts as falling behind.
  let burstAllowance = Infinity;
  const send = (type: string, object: unknown) => {
    if (closed) return;
    // What is left of the burst only shrinks as the client reads.
    if (burstAllowance !== Infinity) burstAllowance = Math.min(burstAllowance, out.writableLength);
    if (out.writableLength > Math.max(settings.maxPendingBytes, burstAllowance)) {
      close();
      return;
    }
    const payload =
      mediaType === 'application/json' ? watchEventJSON(type, object as object) : encode({ type, object }, mediaType) + '---\n';
    out.write(payload);
  };
  const sendObject = (type: string, obj: KubeObject) => {
    if (asTable) send(type, renderTable(scope, [obj], { resourceVersion: obj.metadata?.resourceVersion ?? '' }));
    else if (asPartial) send(type, partialObject(scope.negotiated, obj));
    else send(type, obj);
  };
  const bookmark = (revision: number, annotations?: Record<string, string>) => {
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (annotations) metadata.annotations = annotations;
    send('BOOKMARK', { kind: resource.kind, apiVersion: resource.groupVersion, metadata });
  };
  const fail = (err: StatusError) => {
    send('ERROR', err.status);
    close();
  };

  const timeoutSeconds =
    opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0
      ? opts.timeoutSeconds
      : settings.minRequestTimeoutSeconds * (1 + Math.random());
  timers.push(setTimeout(close, timeoutSeconds * 1000));

  // Flush headers now: clients wait for them before they count the watch as established.
  out.flushHeaders();

  const rv = opts.resourceVersion;
  const wantsInitialState = opts.sendInitialEvents ?? (rv === undefined || rv === '0');
  let afterRevision: number;
  let initial: KubeObject[] = [];
  try {
    if (wantsInitialState) {
      const page = await store.list({ namespace: scope.request.namespace, filter });
      initial = page.items;
      afterRevision = page.revision;
      if (rv !== undefined && rv !== '0') {
        const wanted = parseResourceVersion(rv);
        if (wanted > afterRevision) afterRevision = Math.max(afterRevision, wanted);
      }
    } else if (rv === undefined || rv === '0') {
      afterRevision = await store.currentRevision();
    } else {
      afterRevision = parseResourceVersion(rv);
    }
  } catch (e) {
    if (e instanceof StatusError) return fail(e);
    throw e;
  }
  lastRevision = afterRevision;

  const pending: WatchEventOut[] = [];
  let initialDone = false;
  const onEvent = (e: WatchEventOut) => {
    if (!initialDone) {
      pending.push(e);
      return;
    }
    lastRevision = Math.max(lastRevision, e.revision);
    sendObject(e.type, e.object);
  };
  try {
    handle = await store.watch(
      { namespace: scope.request.namespace, filter, afterRevision },
      onEvent,
      (err) => fail(err),
      (revision) => {
        lastRevision = Math.max(lastRevision, revision);
      },
    );
  } catch (e) {
    if (e instanceof StatusError) {
      if (e.reason === 'Expired' || e.code === 410) return fail(resourceExpired(e.message));
      return fail(e);
    }
    throw e;
  }
  if (closed) {
    void handle.stop();
    return;
  }
  for (const obj of initial) sendObject('ADDED', obj);
  if (opts.sendInitialEvents && opts.allowWatchBookmarks) bookmark(afterRevision, { [INITIAL_EVENTS_END]: 'true' });
  initialDone = true;
  for (const e of pending.splice(0)) onEvent(e);
  burstAllowance = out.writableLength;

  if (opts.allowWatchBookmarks) {
    const tick = () => {
      if (closed) return;
      bookmark(lastRevision);
      timers.push(setTimeout(tick, settings.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, settings.bookmarkIntervalMs));
  }
}
