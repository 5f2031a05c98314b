// /openapi/v2 and /openapi/v3: kube-apiserver's OpenAPI endpoints (k8s.io/kube-openapi pkg/handler for v2,
// pkg/handler3 for v3). Documents are built on first request and kept as serialized strings with their hashes.
// Only JSON is served: the protobuf renderings answer 406, and kubectl reads v3 (which it requests as JSON).
import { createHash } from 'node:crypto';
import type Koa from 'koa';
import type { ResourceInfo, Scheme } from '../scheme/index.js';
import { parseAccept } from './negotiation.js';
import { groupVersionDocument, resourcesByGroupVersion, swaggerDocument } from './openapi/documents.js';

export interface OpenAPIEndpoints {
  /** Answers /openapi/v2, /openapi/v3 and /openapi/v3/<gv>; returns false for any other path. */
  handle(ctx: Koa.Context): boolean;
}

/** A serialized document and kube's hash of it: uppercase hex SHA-512 of the JSON bytes (handler3 computeETag). */
export interface PreparedSpec {
  json: string;
  hash: string;
}

function prepare(doc: unknown): PreparedSpec {
  const json = JSON.stringify(doc);
  return { json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
}

/** Builds each document once, on first use. */
export class OpenAPIDocuments {
  private readonly resources: Map<string, ResourceInfo[]>;
  private readonly groupVersions = new Map<string, PreparedSpec>();
  private indexSpec: PreparedSpec | undefined;
  private swaggerSpec: PreparedSpec | undefined;

  constructor(private readonly scheme: Scheme) {
    this.resources = resourcesByGroupVersion(scheme);
  }

  /** `api/v1`, `apis/apps/v1`, ... */
  groupVersionKeys(): string[] {
    return [...this.resources.keys()].sort();
  }

  groupVersion(key: string): PreparedSpec | undefined {
    let spec = this.groupVersions.get(key);
    if (spec === undefined) {
      const resources = this.resources.get(key);
      if (resources === undefined) return undefined;
      spec = prepare(groupVersionDocument(resources));
      this.groupVersions.set(key, spec);
    }
    return spec;
  }

  /** The /openapi/v3 index: every group/version with its hash-pinned URL (keys sorted, as Go marshals a map). */
  index(): PreparedSpec {
    if (this.indexSpec === undefined) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const key of this.groupVersionKeys()) {
        paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${this.groupVersion(key)!.hash}` };
      }
      this.indexSpec = prepare({ paths });
    }
    return this.indexSpec;
  }

  swagger(): PreparedSpec {
    this.swaggerSpec ??= prepare(swaggerDocument(this.scheme));
    return this.swaggerSpec;
  }
}

/** Whether the Accept header admits JSON (an absent header means any type, as in kube's handlers). */
function acceptsJSON(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return true;
  return parseAccept(header).some(
    (c) => c.q > 0 && (c.type === '*' || c.type === 'application') && (c.subtype === '*' || c.subtype === 'json'),
  );
}

function quoted(hash: string): string {
  return `"${hash}"`;
}

/** http.ServeContent's conditional GET: 304 when If-None-Match lists the current ETag (or is `*`). */
function notModified(ctx: Koa.Context, etag: string): boolean {
  const header = ctx.get('if-none-match');
  if (header === '') return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

function serve(ctx: Koa.Context, spec: PreparedSpec): void {
  const etag = quoted(spec.hash);
  ctx.set('ETag', etag);
  if (notModified(ctx, etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.body = spec.json;
}

function notAcceptable(ctx: Koa.Context): void {
  ctx.status = 406;
  ctx.type = 'text/plain';
  ctx.body = '';
}

const V3_PREFIX = '/openapi/v3/';

export function createOpenAPI(scheme: Scheme): OpenAPIEndpoints {
  const docs = new OpenAPIDocuments(scheme);
  return {
    handle(ctx) {
      const path = ctx.path;
      if (path !== '/openapi/v2' && path !== '/openapi/v3' && !path.startsWith(V3_PREFIX)) return false;
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
        ctx.status = 405;
        ctx.set('Allow', 'GET, HEAD');
        return true;
      }
      if (path === '/openapi/v3') {
        serve(ctx, docs.index());
        return true;
      }
      ctx.vary('Accept');
      if (path === '/openapi/v2') {
        if (!acceptsJSON(ctx.get('accept') || undefined)) notAcceptable(ctx);
        else serve(ctx, docs.swagger());
        return true;
      }
      const key = path.slice(V3_PREFIX.length).replace(/\/+$/, '');
      const spec = docs.groupVersion(key);
      if (spec === undefined) {
        ctx.status = 404;
        ctx.type = 'text/plain';
        ctx.body = '404 page not found\n';
        return true;
      }
      if (!acceptsJSON(ctx.get('accept') || undefined)) {
        notAcceptable(ctx);
        return true;
      }
      const hash = typeof ctx.query.hash === 'string' ? ctx.query.hash : '';
      if (hash !== '') {
        if (hash !== spec.hash) {
          // handler3: a stale hash is redirected to the current document's URL.
          ctx.status = 301;
          ctx.redirect(`/openapi/v3/${key}?hash=${spec.hash}`);
          return true;
        }
        ctx.set('Cache-Control', 'public, immutable');
        ctx.set('Expires', new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString());
      }
      serve(ctx, spec);
      return true;
    },
  };
}
