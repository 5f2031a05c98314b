// The outermost filters: request id, panic → Status, access logging. Every error that escapes a handler
// becomes a kube Status here; unexpected ones become a 500 without a stack trace for the client.
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import type { Logger } from 'winston';
import { internalError, isStatusError, type Status } from '../apimachinery/errors.js';
import { negotiate } from '../endpoints/negotiation.js';
import { MAX_REQUEST_BODY_BYTES } from '../endpoints/body.js';
import { writeStatus } from '../endpoints/responses.js';

export function withRequestContext(logger: Logger, verbosity: number): Koa.Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const auditID = ctx.get('audit-id') || randomUUID();
    ctx.set('Audit-Id', auditID);
    try {
      await next();
    } catch (e) {
      let status: Status;
      if (isStatusError(e)) status = e.status;
      else {
        logger.error('unhandled error', { auditID, path: ctx.path, error: e instanceof Error ? e.stack : String(e) });
        status = internalError(e instanceof Error ? e.message : String(e)).status;
      }
      if (ctx.headerSent) {
        ctx.res.destroy();
        return;
      }
      let mediaType: 'application/json' | 'application/yaml' = 'application/json';
      try {
        mediaType = negotiate(ctx.get('accept'), ['Table']).mediaType;
      } catch {
        // An unacceptable Accept still gets its Status, as JSON.
      }
      await drainUnreadBody(ctx.req);
      writeStatus(ctx, status, mediaType);
    } finally {
      if (verbosity >= 2) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info(`${ctx.method} ${ctx.url} ${ctx.status} ${ms.toFixed(1)}ms`, { auditID, userAgent: ctx.get('user-agent') });
      }
    }
  };
}

/**
 * Reads (and drops) what is left of a refused request's body before its Status is written. Over HTTP/2, Node resets
 * a stream whose request body is still unread when the response ends (RST_STREAM NO_ERROR), and Go's client then
 * loses the Status it was reading ("stream error when reading response body"), so `kubectl create` refused with a
 * 403 would print that instead of kube's message. Bounded by the body limit and a short wait for a stalled client.
 */
async function drainUnreadBody(req: Koa.Context['req']): Promise<void> {
  if (req.complete || req.destroyed || req.readableEnded) return;
  await new Promise<void>((resolve) => {
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', done);
      req.off('error', done);
      req.off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) done();
    };
    const timer = setTimeout(done, 1000);
    req.on('data', onData);
    req.once('end', done);
    req.once('error', done);
    req.once('close', done);
  });
}
