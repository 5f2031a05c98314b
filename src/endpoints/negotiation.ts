// Accept header negotiation as kube-apiserver does it (apimachinery/pkg/runtime/serializer + endpoints/handlers/negotiation).
import { notAcceptable } from '../apimachinery/errors.js';

export type MediaType = 'application/json' | 'application/yaml';

export interface AcceptClause {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

export const SERVED_MEDIA_TYPES: readonly MediaType[] = ['application/json', 'application/yaml'];

/** What the client asked to receive: a media type, and optionally a transformed kind (as=Table, ...). */
export interface Negotiated {
  mediaType: MediaType;
  /** `Table`, `PartialObjectMetadata`, `PartialObjectMetadataList`, `APIGroupDiscoveryList`, ... */
  as?: string;
  group?: string;
  version?: string;
  /** The raw clause that won, for echoing a Content-Type with parameters. */
  clause?: AcceptClause;
}

export function parseAccept(header: string | undefined): readonly AcceptClause[] {
  if (!header) return [];
  // Clients send the same few Accept headers on every request: each is parsed once (its clauses are never mutated).
  let clauses = parsedAccept.get(header);
  if (clauses === undefined) {
    clauses = parseAcceptClauses(header);
    if (parsedAccept.size >= PARSED_ACCEPT_LIMIT) parsedAccept.clear();
    parsedAccept.set(header, clauses);
  }
  return clauses;
}

const parsedAccept = new Map<string, readonly AcceptClause[]>();
const PARSED_ACCEPT_LIMIT = 256;

function parseAcceptClauses(header: string): readonly AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const part of header.split(',')) {
    const segs = part.split(';').map((s) => s.trim());
    const [full, ...rest] = segs;
    if (!full) continue;
    const slash = full.indexOf('/');
    const type = slash < 0 ? full.toLowerCase() : full.slice(0, slash).toLowerCase();
    const subtype = slash < 0 ? '*' : full.slice(slash + 1).toLowerCase();
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
      if (k === 'q') q = Number(v);
      else params[k] = v;
    }
    clauses.push({ type, subtype, params, q: Number.isFinite(q) ? q : 0 });
  }
  // Stable sort by q, highest first (kube keeps the client's order among equals).
  return clauses
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.q - a.c.q || a.i - b.i)
    .map((x) => x.c);
}

function mediaTypeFor(c: AcceptClause): MediaType | undefined {
  if (c.type === '*' && c.subtype === '*') return 'application/json';
  if (c.type !== 'application') return undefined;
  if (c.subtype === '*' || c.subtype === 'json') return 'application/json';
  if (c.subtype === 'yaml') return 'application/yaml';
  return undefined;
}

/**
 * Picks the response representation. `acceptsAs` says which transformations the endpoint can render
 * (e.g. ['Table'] for resource reads); clauses asking for another one are skipped, as kube does.
 * Throws 406 when nothing acceptable remains.
 */
export function negotiate(header: string | undefined, acceptsAs: readonly string[] = []): Negotiated {
  const clauses = parseAccept(header);
  if (clauses.length === 0) return { mediaType: 'application/json' };
  for (const c of clauses) {
    if (c.q <= 0) continue;
    const mediaType = mediaTypeFor(c);
    if (!mediaType) continue;
    const as = c.params['as'];
    if (as !== undefined) {
      if (!acceptsAs.includes(as)) continue;
      const n: Negotiated = { mediaType, as, clause: c };
      if (c.params['g'] !== undefined) n.group = c.params['g'];
      if (c.params['v'] !== undefined) n.version = c.params['v'];
      return n;
    }
    return { mediaType, clause: c };
  }
  throw notAcceptable([...SERVED_MEDIA_TYPES]);
}
