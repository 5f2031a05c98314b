// The TLS listener: HTTP/2 (negotiated as `h2` by ALPN) and HTTP/1.1 on the same port, with kube-apiserver's
// HTTP/2 settings, idle timeouts and a graceful shutdown. Follows k8s.io/apiserver/pkg/server/secure_serving.go.
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** kube's MaxConcurrentStreams when --http2-max-streams-per-connection is 0 (golang.org/x/net's client default). */
export const HTTP2_MAX_STREAMS_PER_CONNECTION = 100;
/**
 * At least 99% of serialized resources are smaller than this (secure_serving.go's resourceBody99Percentile): the
 * per-stream receive window and the largest frame kube reads, so most POSTs arrive in one frame.
 */
const RESOURCE_BODY_99_PERCENTILE = 256 * 1024;
/** kube's IdleTimeout for both protocols (it matches http.DefaultTransport's keep-alive timeout). */
export const IDLE_TIMEOUT_MS = 90_000;

export interface SecureServingOptions {
  cert: Buffer | string;
  key: Buffer | string;
  /** --client-ca-file's PEM: ask for a client certificate, accept the connection with or without one. */
  clientCA?: Buffer;
  host: string;
  port: number;
  maxStreamsPerConnection?: number;
  idleTimeoutMs?: number;
}

export interface SecureServing {
  port: number;
  /**
   * Stops accepting connections, tells HTTP/2 clients to go away, calls `endLongRunning` (which should end every
   * watch, so each stream ends with its last event rather than a reset), waits up to `graceMs` for requests in
   * flight, then drops whatever connection is left.
   */
  close(endLongRunning: () => void, graceMs?: number): Promise<void>;
}

/**
 * Lets the request finish, then closes its connection when it is HTTP/2 (GOAWAY: no new streams). kube does this
 * for every request that is not authenticated (UnauthenticatedHTTP2DOSMitigation, on by default since 1.29): an
 * anonymous client gets HTTP/2 no cheaper than HTTP/1.1 without keep-alive (CVE-2023-44487).
 */
export function goAwayAfter(req: object): void {
  const session = (req as { stream?: http2.ServerHttp2Stream }).stream?.session;
  if (session && !session.closed) session.close();
}

type Handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;

export async function serveSecurely(handler: Handler, opts: SecureServingOptions): Promise<SecureServing> {
  const maxStreams = opts.maxStreamsPerConnection ?? HTTP2_MAX_STREAMS_PER_CONNECTION;
  const idleTimeoutMs = opts.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const sockets = new Set<TLSSocket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const server = http2.createSecureServer(
    {
      cert: opts.cert,
      key: opts.key,
      // Go's VerifyClientCertIfGiven: a certificate is verified when sent, and authentication decides what an
      // unverified one means (socket.authorized is false).
      ...(opts.clientCA && { requestCert: true, rejectUnauthorized: false, ca: opts.clientCA }),
      allowHTTP1: true,
      settings: {
        maxConcurrentStreams: maxStreams,
        initialWindowSize: RESOURCE_BODY_99_PERCENTILE,
        maxFrameSize: RESOURCE_BODY_99_PERCENTILE,
      },
      // Node refuses new streams (ENHANCE_YOUR_CALM) on a session whose memory, data queued for sending included,
      // passes this (in MB, default 10): one large list, or a watcher falling behind (up to its own pending limit),
      // waiting on a slow client must not fail the requests multiplexed beside it. Go's server, kube's, has no such cap.
      maxSessionMemory: 1024,
    },
    (req, res) => {
      inFlight++;
      res.once('close', () => {
        if (--inFlight === 0) drained?.();
      });
      // A response sent while the client is still sending its body (413, say) asks it to stop with
      // RST_STREAM(NO_ERROR), as RFC 9113 section 8.1 allows; otherwise the stream stays half-open, its upload
      // stalled on flow control. Node sends the stream's queued DATA before the reset. (An HTTP/1.1 request has
      // no `stream`; node:http discards an unread body itself.)
      const stream = req.stream as http2.ServerHttp2Stream | undefined;
      stream?.once('finish', () => {
        if (!stream.closed && !stream.destroyed && stream.state.remoteClose === 0) stream.close(http2.constants.NGHTTP2_NO_ERROR);
      });
      handler(req, res);
    },
  );
  // HTTP/1.1 connections are served by node:http's connection handler, which reads these from the server.
  (server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = idleTimeoutMs;

  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session) => {
    sessions.add(session);
    // The connection-level window holds a full per-stream window for every stream (kube's MaxUploadBufferPerConnection).
    session.once('connect', () => session.setLocalWindowSize(RESOURCE_BODY_99_PERCENTILE * maxStreams));
    // Idle means no open stream: an HTTP/2 session carrying quiet watches is not idle (as Go's IdleTimeout).
    let open = 0;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      idle = setTimeout(() => session.close(), idleTimeoutMs);
      idle.unref();
    };
    session.on('stream', (stream) => {
      clearTimeout(idle);
      open++;
      stream.once('close', () => {
        if (--open === 0 && !session.closed) armIdle();
      });
    });
    session.once('close', () => {
      clearTimeout(idle);
      sessions.delete(session);
    });
    // A reset or broken connection is the client's business; without a listener it would be thrown.
    session.on('error', () => undefined);
    armIdle();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    async close(endLongRunning, graceMs = 5_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + graceMs;
      const until = (done: Promise<void>) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          void done.then(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      // GOAWAY: streams in flight finish, new ones go to another connection (or instance); each session closes
      // itself once its last stream has ended.
      for (const session of sessions) session.close();
      endLongRunning();
      if (inFlight > 0) await until(new Promise<void>((resolve) => (drained = resolve)));
      // What is left on HTTP/1.1 is idle keep-alive connections.
      if (inFlight === 0) {
        for (const socket of sockets) if (socket.alpnProtocol !== 'h2') socket.end();
        await until(closed);
      }
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
