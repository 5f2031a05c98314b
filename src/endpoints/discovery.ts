// API discovery: /api, /apis, /apis/<group>, /api/v1 and /apis/<group>/<version>, derived from the Scheme.
// Shapes follow kube-apiserver: apiserver/pkg/endpoints/discovery/{legacy,root,group,version}.go for the
// legacy documents and discovery/aggregated/{handler,wrapper,negotiation,etag}.go for aggregated discovery.
// Every document is built and serialized once; requests only pick a prepared string.
import { createHash } from 'node:crypto';
import type Koa from 'koa';
import { StatusError, isStatusError, notAcceptable } from '../apimachinery/errors.js';
import type { APIGroupInfo, GroupVersionKind, ResourceInfo, Scheme } from '../scheme/index.js';
import { SERVED_MEDIA_TYPES, negotiate, parseAccept, type AcceptClause, type MediaType } from './negotiation.js';
import { encode, isPrettyPrint, writeStatus } from './responses.js';
import { indentJSON } from './serialize.js';

const DISCOVERY_GROUP = 'apidiscovery.k8s.io';
const DISCOVERY_KIND = 'APIGroupDiscoveryList';
/** v2beta1 is still accepted by kube-apiserver unless the AggregatedDiscoveryRemoveBetaType gate is on. */
const DISCOVERY_VERSIONS = ['v2', 'v2beta1'] as const;
type DiscoveryVersion = (typeof DISCOVERY_VERSIONS)[number];

// ---- wire shapes (metav1 and apidiscovery/v2), field order as Go serializes them ----

interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

interface APIGroupDiscovery {
  metadata: { name?: string };
  versions: { version: string; resources: APIResourceDiscovery[]; freshness: 'Current' }[];
}

/**
 * kube's StorageVersionHash (apiserver/pkg/endpoints/discovery/storageversionhash.go): base64 of the first
 * 8 bytes of sha256("<group>/<version>/<kind>") of the version the resource is stored in.
 */
export function storageVersionHash(gvk: GroupVersionKind): string {
  return createHash('sha256').update(`${gvk.group}/${gvk.version}/${gvk.kind}`).digest().subarray(0, 8).toString('base64');
}

/** A prepared response body: JSON serialized up front, other encodings on first use, and its ETag. */
class PreparedDocument {
  readonly etag: string;
  private readonly encodings = new Map<MediaType, string>();

  /** `etagInput` lets several renderings of one content (v2 and v2beta1) share an ETag, as kube's do. */
  constructor(
    private readonly body: unknown,
    etagInput?: string,
  ) {
    const json = JSON.stringify(body);
    // The body as json.Encoder writes it: a newline after the document.
    this.encodings.set('application/json', `${json}\n`);
    // kube's aggregated/etag.go: hex SHA-512 of the JSON, quoted; clients echo it in If-None-Match.
    this.etag = `"${createHash('sha512')
      .update(etagInput ?? json)
      .digest('hex')
      .toUpperCase()}"`;
  }

  encoded(mediaType: MediaType): string {
    let text = this.encodings.get(mediaType);
    if (text === undefined) {
      text = encode(this.body, mediaType);
      this.encodings.set(mediaType, text);
    }
    return text;
  }
}

function groupVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

function sortedCopy(values: readonly string[]): string[] {
  return [...values].sort();
}

function apiGroupEntry(g: APIGroupInfo): APIGroup {
  const entry = (version: string): GroupVersionForDiscovery => ({ groupVersion: groupVersionOf(g.name, version), version });
  return { name: g.name, versions: g.versions.map(entry), preferredVersion: entry(g.preferredVersion) };
}

/** Non-empty list or nothing: Go's omitempty drops empty shortNames/categories. */
function optionalList(values: readonly string[]): string[] | undefined {
  return values.length > 0 ? [...values] : undefined;
}

/**
 * One APIResourceList. kube sorts the registered paths, so `pods/status` follows `pods` and precedes
 * `podtemplates`; subresources carry an empty singularName and no storageVersionHash.
 */
function apiResourceList(group: string, version: string, resources: readonly ResourceInfo[]): unknown {
  const entries: APIResource[] = [];
  for (const r of resources) {
    const main: APIResource = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: sortedCopy(r.verbs),
    };
    const shortNames = optionalList(r.shortNames);
    if (shortNames) main.shortNames = shortNames;
    const categories = optionalList(r.categories);
    if (categories) main.categories = categories;
    // Only resources kept in storage have a storage version (the create-only review APIs have none).
    if (r.stored) main.storageVersionHash = storageVersionHash(r.storageVersion);
    entries.push(main);
    for (const s of r.subresources) {
      // In metav1.APIResource's order: name, singularName, namespaced, group, version, kind, verbs. Group and version
      // come from the subresource storage's GroupVersionKindProvider (installer.go); both are omitempty.
      const sub = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced } as APIResource;
      if (s.kind && !s.kindWithoutVersion) {
        if (s.kind.group !== '') sub.group = s.kind.group;
        sub.version = s.kind.version;
      }
      sub.kind = s.kind ? s.kind.kind : r.kind;
      sub.verbs = sortedCopy(s.verbs);
      entries.push(sub);
    }
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const groupVersion = groupVersionOf(group, version);
  // keepUnversioned(""): the core group's list is written without apiVersion (discovery/version.go).
  return group === ''
    ? { kind: 'APIResourceList', groupVersion, resources: entries }
    : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: entries };
}

function resourceDiscovery(r: ResourceInfo): APIResourceDiscovery {
  // kube fills the group and version from the storage's GroupVersionKindProvider, which the generic store has and the
  // create-only review REST does not: theirs are empty.
  const responseKind: GroupVersionKind = r.stored
    ? { group: r.group, version: r.version, kind: r.kind }
    : { group: '', version: '', kind: r.kind };
  const entry: APIResourceDiscovery = {
    resource: r.resource,
    responseKind,
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: sortedCopy(r.verbs),
  };
  const shortNames = optionalList(r.shortNames);
  if (shortNames) entry.shortNames = shortNames;
  const categories = optionalList(r.categories);
  if (categories) entry.categories = categories;
  const subresources = [...r.subresources]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s): APISubresourceDiscovery => ({
      subresource: s.name,
      responseKind: s.kind ? (s.kindWithoutVersion ? { group: '', version: '', kind: s.kind.kind } : { ...s.kind }) : { ...responseKind },
      verbs: sortedCopy(s.verbs),
    }));
  if (subresources.length > 0) entry.subresources = subresources;
  return entry;
}

function groupDiscovery(scheme: Scheme, g: APIGroupInfo): APIGroupDiscovery {
  return {
    // Go's ObjectMeta: name is omitempty (so absent for the core group); creationTimestamp is omitzero since v1.34.
    metadata: g.name === '' ? {} : { name: g.name },
    versions: g.versions.map((version) => ({
      version,
      resources: [...scheme.resourcesIn(g.name, version)]
        .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0))
        .map(resourceDiscovery),
      freshness: 'Current' as const,
    })),
  };
}

/** Both renderings (v2, v2beta1) of one aggregated list; they differ only in apiVersion and share an ETag. */
function aggregatedDocuments(items: APIGroupDiscovery[]): Record<DiscoveryVersion, PreparedDocument> {
  const etagInput = JSON.stringify(items);
  const render = (v: DiscoveryVersion): PreparedDocument =>
    new PreparedDocument({ kind: DISCOVERY_KIND, apiVersion: `${DISCOVERY_GROUP}/${v}`, metadata: {}, items }, etagInput);
  return { v2: render('v2'), v2beta1: render('v2beta1') };
}

function isAggregatedDiscoveryClause(c: AcceptClause): boolean {
  return (
    c.params['as'] === DISCOVERY_KIND &&
    c.params['g'] === DISCOVERY_GROUP &&
    (DISCOVERY_VERSIONS as readonly string[]).includes(c.params['v'] ?? '')
  );
}

function renderClause(c: AcceptClause): string {
  const params = Object.entries(c.params)
    .map(([k, v]) => `;${k}=${v}`)
    .join('');
  return `${c.type}/${c.subtype}${params};q=${c.q}`;
}

interface DiscoveryChoice {
  mediaType: MediaType;
  /** Set when the client asked for (and gets) the aggregated APIGroupDiscoveryList. */
  aggregated?: DiscoveryVersion;
}

/**
 * Accept negotiation for discovery. Clauses asking for a transformation other than aggregated discovery
 * (or aggregated discovery in a version we do not serve) are skipped, as kube's DiscoveryEndpointRestrictions
 * do; extra parameters such as `profile=nopeer` are ignored. Throws 406 when nothing acceptable remains.
 */
function negotiateDiscovery(accept: string | undefined, allowAggregated: boolean): DiscoveryChoice {
  const clauses = parseAccept(accept);
  if (clauses.length === 0) return { mediaType: 'application/json' };
  const usable = clauses.filter((c) => c.params['as'] === undefined || (allowAggregated && isAggregatedDiscoveryClause(c)));
  if (usable.length === 0) throw notAcceptable([...SERVED_MEDIA_TYPES]);
  const n = negotiate(usable.map(renderClause).join(','), allowAggregated ? [DISCOVERY_KIND] : []);
  if (n.as === DISCOVERY_KIND) return { mediaType: n.mediaType, aggregated: n.version as DiscoveryVersion };
  return { mediaType: n.mediaType };
}

/** kube-apiserver's answer for any path nothing serves (util/notfoundhandler). */
function notFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource');
}

function ifNoneMatchHits(header: string, etag: string): boolean {
  if (header === '') return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Writes a prepared document with ETag headers (as kube's ServeHTTPWithETag does for aggregated discovery;
 * kgate also does it for the legacy documents, which lets kubectl's HTTP cache revalidate them).
 * The Content-Type is set verbatim: clients compare its g/v/as parameters.
 */
function writeDocument(ctx: Koa.Context, doc: PreparedDocument, mediaType: MediaType, contentType: string): void {
  ctx.set('ETag', doc.etag);
  ctx.set('Vary', 'Accept');
  ctx.set('Cache-Control', 'public');
  if (ifNoneMatchHits(ctx.get('If-None-Match'), doc.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.set('Content-Type', contentType);
  const text = doc.encoded(mediaType);
  // Indented for ?pretty=true and curl as every kube response (json.MarshalIndent: no trailing newline).
  ctx.body = mediaType === 'application/json' && isPrettyPrint(ctx) ? indentJSON(text.slice(0, -1)) : text;
}

type DiscoveryTarget =
  { kind: 'root'; prefix: 'api' | 'apis' } | { kind: 'group'; group: string } | { kind: 'groupVersion'; group: string; version: string };

/** Which discovery document a path names, or undefined when the path is not a discovery path at all. */
function discoveryTarget(path: string): DiscoveryTarget | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.split('/').slice(1);
  const [prefix, a, b] = segments;
  if (prefix === 'api') {
    if (segments.length === 1) return { kind: 'root', prefix: 'api' };
    if (segments.length === 2 && a !== '') return { kind: 'groupVersion', group: '', version: a };
    return undefined;
  }
  if (prefix === 'apis') {
    if (segments.length === 1) return { kind: 'root', prefix: 'apis' };
    if (segments.length === 2 && a !== '') return { kind: 'group', group: a };
    if (segments.length === 3 && a !== '' && b !== '') return { kind: 'groupVersion', group: a, version: b };
    return undefined;
  }
  return undefined;
}

/** `ip:port` of the local end of the connection, which is what kube advertises (its bind/advertise address). */
function localServerAddress(ctx: Koa.Context): string {
  const socket = ctx.req.socket;
  const port = socket.localPort;
  let host = socket.localAddress;
  if (!host || !port) return ctx.host;
  if (host.startsWith('::ffff:')) host = host.slice('::ffff:'.length);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export interface DiscoveryOptions {
  /** The address put in serverAddressByClientCIDRs (--advertise-address:port); default: the connection's local address. */
  serverAddress?: string;
}

export interface Discovery {
  /** Answers a discovery request; false when the request is not one (the next handler should run). */
  handle(ctx: Koa.Context): boolean;
}

/** How many distinct server addresses get a cached /api document (one per listening interface in practice). */
const MAX_CACHED_API_ADDRESSES = 16;

export function createDiscovery(scheme: Scheme, options: DiscoveryOptions = {}): Discovery {
  const groups = scheme.groups();
  const namedGroups = groups.filter((g) => g.name !== '');
  const coreGroup = groups.find((g) => g.name === '');

  const groupList = new PreparedDocument({ kind: 'APIGroupList', apiVersion: 'v1', groups: namedGroups.map(apiGroupEntry) });
  const groupDocs = new Map<string, PreparedDocument>();
  for (const g of namedGroups) groupDocs.set(g.name, new PreparedDocument({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroupEntry(g) }));
  const resourceListDocs = new Map<string, PreparedDocument>();
  for (const g of groups) {
    for (const v of g.versions) {
      resourceListDocs.set(groupVersionOf(g.name, v), new PreparedDocument(apiResourceList(g.name, v, scheme.resourcesIn(g.name, v))));
    }
  }
  const aggregatedApi = aggregatedDocuments(coreGroup ? [groupDiscovery(scheme, coreGroup)] : []);
  const aggregatedApis = aggregatedDocuments(namedGroups.map((g) => groupDiscovery(scheme, g)));

  const apiVersionsDocs = new Map<string, PreparedDocument>();
  function apiVersionsDoc(serverAddress: string): PreparedDocument {
    let doc = apiVersionsDocs.get(serverAddress);
    if (!doc) {
      doc = new PreparedDocument({
        kind: 'APIVersions',
        versions: coreGroup ? coreGroup.versions : [],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
      });
      if (apiVersionsDocs.size < MAX_CACHED_API_ADDRESSES) apiVersionsDocs.set(serverAddress, doc);
    }
    return doc;
  }

  function legacyDocument(ctx: Koa.Context, target: DiscoveryTarget): PreparedDocument | undefined {
    switch (target.kind) {
      case 'root':
        return target.prefix === 'api' ? apiVersionsDoc(options.serverAddress ?? localServerAddress(ctx)) : groupList;
      case 'group':
        return groupDocs.get(target.group);
      case 'groupVersion':
        return resourceListDocs.get(groupVersionOf(target.group, target.version));
    }
  }

  function serve(ctx: Koa.Context, target: DiscoveryTarget): void {
    const doc = legacyDocument(ctx, target);
    if (!doc) {
      let mediaType: MediaType = 'application/json';
      try {
        mediaType = negotiateDiscovery(ctx.get('Accept'), false).mediaType;
      } catch {
        // The error is what matters; it goes out as JSON when the client accepts nothing we write.
      }
      writeStatus(ctx, notFound().status, mediaType);
      return;
    }
    const choice = negotiateDiscovery(ctx.get('Accept'), target.kind === 'root');
    if (choice.aggregated && target.kind === 'root') {
      const docs = target.prefix === 'api' ? aggregatedApi : aggregatedApis;
      const contentType = `${choice.mediaType};g=${DISCOVERY_GROUP};v=${choice.aggregated};as=${DISCOVERY_KIND}`;
      writeDocument(ctx, docs[choice.aggregated], choice.mediaType, contentType);
      return;
    }
    writeDocument(ctx, doc, choice.mediaType, choice.mediaType);
  }

  return {
    handle(ctx: Koa.Context): boolean {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return false;
      const target = discoveryTarget(ctx.path);
      if (!target) return false;
      try {
        serve(ctx, target);
      } catch (e) {
        if (!isStatusError(e)) throw e;
        writeStatus(ctx, e.status);
      }
      return true;
    },
  };
}
