// /healthz, /livez and /readyz as kube-apiserver serves them (apiserver/pkg/server/healthz/healthz.go and
// server/healthz.go): plain text, `?verbose` lists each check, `?exclude=<name>` skips one, and each check
// has its own path (/readyz/etcd, /livez/poststarthook/...). Failure details stay out of the aggregate
// answer ("reason withheld") because these paths are public; the per-check path shows them.
import type Koa from 'koa';
import { StatusError } from '../apimachinery/errors.js';
import { writeStatus } from './responses.js';

export interface HealthCheck {
  /** `ping`, `etcd`, `informer-sync`, `poststarthook/rbac/bootstrap-roles`, `shutdown`, ... */
  name: string;
  /** Resolves when healthy; throws (or rejects) with the reason otherwise. */
  check(): Promise<void>;
}

export interface HealthChecks {
  livez: HealthCheck[];
  readyz: HealthCheck[];
  /** The deprecated /healthz; default: the livez checks (kube registers generic checks on all three). */
  healthz?: HealthCheck[];
}

export interface HealthOptions {
  /** Called for each failing check of an aggregate endpoint, with the reason the response withholds. */
  onCheckFailed?(endpoint: string, check: string, error: unknown): void;
}

export interface Health {
  /** Answers /healthz, /livez, /readyz and their per-check paths; false for any other path. */
  handle(ctx: Koa.Context): Promise<boolean>;
}

/** kube's healthz.PingHealthz: always healthy; it answers as long as the process serves HTTP. */
export const pingCheck: HealthCheck = { name: 'ping', check: async () => {} };

export interface ShutdownCheck extends HealthCheck {
  /** Makes the check fail from now on, so load balancers stop sending traffic before the server stops. */
  beginShutdown(): void;
}

/** kube's readyz `shutdown` check (server/healthz.go shutdownCheck). */
export function createShutdownCheck(): ShutdownCheck {
  let shuttingDown = false;
  return {
    name: 'shutdown',
    async check() {
      if (shuttingDown) throw new Error('process is shutting down');
    },
    beginShutdown() {
      shuttingDown = true;
    },
  };
}

const TEXT_PLAIN = 'text/plain; charset=utf-8';

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function run(check: HealthCheck): Promise<unknown> {
  try {
    await check.check();
    return undefined;
  } catch (e) {
    return e ?? new Error('check failed');
  }
}

/** Go's http.Error: text/plain, nosniff, the message plus a newline. */
function writeTextError(ctx: Koa.Context, code: number, message: string): void {
  ctx.status = code;
  ctx.set('Content-Type', TEXT_PLAIN);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = `${message}\n`;
}

function writeText(ctx: Koa.Context, text: string): void {
  ctx.status = 200;
  ctx.set('Content-Type', TEXT_PLAIN);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = text;
}

function queryValues(ctx: Koa.Context, key: string): string[] {
  const v = ctx.query[key];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** ping first, as kube installs it, unless the caller already supplied one. */
function withPing(checks: readonly HealthCheck[]): HealthCheck[] {
  return checks.some((c) => c.name === 'ping') ? [...checks] : [pingCheck, ...checks];
}

class HealthEndpoint {
  private readonly byName: Map<string, HealthCheck>;

  constructor(
    /** `readyz`: the path's first segment, as kube names the endpoint in its messages. */
    private readonly name: string,
    private readonly checks: HealthCheck[],
    private readonly options: HealthOptions,
  ) {
    this.byName = new Map(checks.map((c) => [c.name, c]));
  }

  async serveRoot(ctx: Koa.Context): Promise<void> {
    const excluded = new Set(queryValues(ctx, 'exclude'));
    const active = this.checks.filter((c) => !excluded.has(c.name));
    // Checks run concurrently (kube runs them one after another); output keeps registration order.
    const results = new Map<HealthCheck, unknown>();
    await Promise.all(active.map(async (c) => results.set(c, await run(c))));

    let lines = '';
    let failed = false;
    for (const c of this.checks) {
      if (excluded.delete(c.name)) {
        lines += `[+]${c.name} excluded: ok\n`;
        continue;
      }
      const error = results.get(c);
      if (error === undefined) {
        lines += `[+]${c.name} ok\n`;
      } else {
        failed = true;
        lines += `[-]${c.name} failed: reason withheld\n`;
        this.options.onCheckFailed?.(this.name, c.name, error);
      }
    }
    if (excluded.size > 0) {
      const names = [...excluded]
        .sort()
        .map((n) => JSON.stringify(n))
        .join(',');
      lines += `warn: some health checks cannot be excluded: no matches for ${names}\n`;
    }
    // Always verbose on failure.
    if (failed) {
      writeTextError(ctx, 500, `${lines}${this.name} check failed`);
      return;
    }
    if (ctx.query['verbose'] === undefined) {
      writeText(ctx, 'ok');
      return;
    }
    writeText(ctx, `${lines}${this.name} check passed\n`);
  }

  async serveCheck(ctx: Koa.Context, checkName: string): Promise<void> {
    const check = this.byName.get(checkName);
    if (!check) {
      writeStatus(ctx, new StatusError(404, 'NotFound', 'the server could not find the requested resource').status);
      return;
    }
    const error = await run(check);
    if (error === undefined) writeText(ctx, 'ok');
    else writeTextError(ctx, 500, `internal server error: ${reasonOf(error)}`);
  }
}

export function createHealth(checks: HealthChecks, options: HealthOptions = {}): Health {
  const endpoints = new Map<string, HealthEndpoint>([
    ['healthz', new HealthEndpoint('healthz', withPing(checks.healthz ?? checks.livez), options)],
    ['livez', new HealthEndpoint('livez', withPing(checks.livez), options)],
    ['readyz', new HealthEndpoint('readyz', withPing(checks.readyz), options)],
  ]);
  return {
    async handle(ctx: Koa.Context): Promise<boolean> {
      const path = ctx.path;
      const slash = path.indexOf('/', 1);
      const endpoint = endpoints.get(slash < 0 ? path.slice(1) : path.slice(1, slash));
      if (!endpoint) return false;
      if (slash < 0) await endpoint.serveRoot(ctx);
      else await endpoint.serveCheck(ctx, path.slice(slash + 1));
      return true;
    },
  };
}
