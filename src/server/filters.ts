// The outermost filters: request id, panic → Status, access logging. Every error that escapes a handler
// becomes a kube Status here; unexpected ones become a 500 without a stack trace for the client.
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import type { Logger } from 'winston';
import { internalError, isStatusError, type Status } from '../apimachinery/errors.js';
import { negotiate } from '../endpoints/negotiation.js';
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
      writeStatus(ctx, status, mediaType);
    } finally {
      if (verbosity >= 2) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info(`${ctx.method} ${ctx.url} ${ctx.status} ${ms.toFixed(1)}ms`, { auditID, userAgent: ctx.get('user-agent') });
      }
    }
  };
}
