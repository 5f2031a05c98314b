// The Koa application and the server around it (serving.ts). This is the one file that lists the handler chain in
// order (outermost first): request context → RequestInfo → authentication → authorization → non-resource
// endpoints (health, version, discovery) → resource endpoints.
import type { TLSSocket } from 'node:tls';
import Koa from 'koa';
import type { Logger } from 'winston';
import { routeNotFound, unauthorized } from '../apimachinery/errors.js';
import type { UserInfo } from '../apimachinery/user.js';
import { ANONYMOUS, AuthenticatorChain, StaticTokenAuthenticator, type ClientCertificate } from '../authentication/index.js';
import { OIDCAuthenticator } from '../authentication/oidc.js';
import { WebhookTokenAuthenticator } from '../authentication/webhook.js';
import { X509Authenticator } from '../authentication/x509.js';
import { forbiddenError } from '../authorization/index.js';
import { ClusterRoleAggregator } from '../authorization/rbac/aggregation.js';
import { ImpersonationRequestError, impersonatedUser } from '../authorization/impersonation.js';
import { createDiscovery } from '../endpoints/discovery.js';
import { createHealth, createShutdownCheck, type HealthCheck } from '../endpoints/health.js';
import { parseRequestInfo, type RequestInfo } from '../endpoints/requestinfo.js';
import { createResourceEndpoints } from '../endpoints/resources.js';
import { handleVersion } from '../endpoints/version.js';
import { CreateOnlyStore } from '../registry/create-only.js';
import { ResourceStore } from '../registry/store.js';
import { strategyFor } from '../registry/strategies/index.js';
import { builtinScheme, type ResourceInfo } from '../scheme/index.js';
import { schemaChecker } from '../scheme/schemas.js';
import { startCompactor } from '../storage/etcd3/compactor.js';
import { EtcdStorage } from '../storage/etcd3/store.js';
import { CachedStorage } from '../storage/cacher/index.js';
import { WebhookConfigurations } from './webhooks.js';
import { buildAdmission, DEFAULT_PLUGINS, quotaObjectLister } from './admission.js';
import { startQuotaResync } from './quota-resync.js';
import { attributesOf, buildAuthorization, RBAC_GROUP } from './authorization.js';
import {
  bootstrapDefaultServiceAccounts,
  bootstrapNamespaces,
  bootstrapPolicy,
  bootstrapPriorityClasses,
  ensureDefaultServiceAccount,
} from './bootstrap.js';
import { KubernetesService, startServiceNetwork } from './kubernetes-service.js';
import { defaultServiceNetworkConfig } from './options/services.js';
import { reviewCreaters } from './reviews.js';
import { withRequestContext } from './filters.js';
import { serviceAccountTokens } from './serviceaccounts.js';
import { goAwayAfter, serveSecurely } from './serving.js';
import { webhookPoster } from './webhook-client.js';
import type { KgateConfig } from './config.js';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export interface ServerTuning {
  /** --watch-cache: serve reads and watches from memory (default true). */
  watchCache?: boolean;
  bookmarkIntervalMs?: number;
  minRequestTimeoutSeconds?: number;
  /** Bytes a slow watch client may fall behind before its watch is closed. */
  watchMaxPendingBytes?: number;
  /** Recent events the watch cache keeps per resource for watches resuming from a revision. */
  watchCacheWindow?: number;
  eventTTLSeconds?: number;
  /** How often every quota's status is recounted (kube-controller-manager's --resource-quota-sync-period, 5m). */
  quotaResyncMs?: number;
}

export async function startServer(config: KgateConfig, logger: Logger, tuning: ServerTuning = {}): Promise<RunningServer> {
  const etcd = new EtcdStorage({ servers: config.etcd.servers, ca: config.etcd.ca, cert: config.etcd.cert, key: config.etcd.key });
  const compactor = config.etcd.compactionIntervalMs > 0 ? startCompactor(etcd, config.etcd.compactionIntervalMs, logger) : undefined;
  const scheme = builtinScheme();
  // Every resource but events is served from the watch cache (kube-apiserver leaves events uncached too).
  const etcdPrefix = config.etcd.prefix.replace(/\/+$/, '');
  const cachedPrefixes = [
    ...new Set(scheme.resources.filter((r) => r.stored && r.resource !== 'events').map((r) => `${etcdPrefix}/${r.storagePrefix}/`)),
  ];
  const cacher =
    tuning.watchCache === false || config.watchCache === false
      ? undefined
      : new CachedStorage(etcd, { prefixes: cachedPrefixes, windowSize: tuning.watchCacheWindow, log: (m) => logger.warn(m) });
  const storage = cacher ?? etcd;
  const stores = new Map<ResourceInfo, ResourceStore>();
  for (const r of scheme.resources) {
    if (!r.stored) continue;
    stores.set(
      r,
      new ResourceStore(
        r,
        storage,
        config.etcd.prefix,
        strategyFor(r, { eventTTLSeconds: tuning.eventTTLSeconds ?? config.eventTTLSeconds ?? 3600 }),
      ),
    );
  }
  // An empty version means the group's preferred one (admission finds a quota's count/<resource>.<group> that way).
  const storeOf = (group: string, version: string, resource: string) =>
    stores.get(scheme.lookup(group, version || (scheme.group(group)?.preferredVersion ?? ''), resource)!)!;
  const namespaceStore = storeOf('', 'v1', 'namespaces');
  const serviceAccounts = serviceAccountTokens(
    config.serviceAccounts,
    {
      serviceAccounts: storeOf('', 'v1', 'serviceaccounts'),
      pods: storeOf('', 'v1', 'pods'),
      secrets: storeOf('', 'v1', 'secrets'),
      nodes: storeOf('', 'v1', 'nodes'),
    },
    logger,
  );
  const policyStores = {
    clusterRoles: storeOf(RBAC_GROUP, 'v1', 'clusterroles'),
    clusterRoleBindings: storeOf(RBAC_GROUP, 'v1', 'clusterrolebindings'),
    roles: storeOf(RBAC_GROUP, 'v1', 'roles'),
    roleBindings: storeOf(RBAC_GROUP, 'v1', 'rolebindings'),
  };
  const authorization = buildAuthorization(config, scheme, storage, etcdPrefix, logger);
  const { authorizer, ruleResolver, policy, nodeGraph } = authorization;
  const webhookConfigurations = new WebhookConfigurations(storage, etcdPrefix, storeOf, scheme.resources, cacher !== undefined);
  const admissionFor = buildAdmission(
    authorization,
    storeOf,
    config.admission?.plugins,
    webhookConfigurations,
    config.admission?.podSecurity,
  );
  // No kube-controller-manager here: while ResourceQuota admission is on, each process recounts quotas now and then.
  const quotaResync = (config.admission?.plugins ?? DEFAULT_PLUGINS).includes('ResourceQuota')
    ? startQuotaResync(storeOf('', 'v1', 'resourcequotas'), quotaObjectLister(storeOf), tuning.quotaResyncMs ?? 300_000, logger)
    : undefined;

  const shutdown = createShutdownCheck();
  let bootstrapped = false;
  let policyBootstrapped = false;
  const etcdCheck: HealthCheck = {
    name: 'etcd',
    check: async () => {
      if (!(await storage.healthy())) throw new Error('etcd is not reachable');
    },
  };
  const health = createHealth({
    livez: [etcdCheck],
    readyz: [
      etcdCheck,
      {
        name: 'informer-sync',
        check: async () => {
          if (cacher && !cacher.isSynced) throw new Error('the watch cache is not synced');
        },
      },
      {
        name: 'poststarthook/bootstrap-namespaces',
        check: async () => {
          if (!bootstrapped) throw new Error('not finished');
        },
      },
      {
        name: 'poststarthook/rbac/bootstrap-roles',
        check: async () => {
          if (!policyBootstrapped) throw new Error('not finished');
        },
      },
      shutdown,
    ],
  });
  const discovery = createDiscovery(scheme);
  // The OpenAPI documents are built from large generated definitions; load them when first asked for.
  let openapi: Promise<{ handle(ctx: Koa.Context): boolean }> | undefined;
  const loadOpenAPI = () => (openapi ??= import('../endpoints/openapi.js').then((m) => m.createOpenAPI(scheme)));
  // kube's order: client certificates, then bearer tokens: the token file, OIDC, the token webhook last.
  const { oidc, tokenWebhook } = config.authentication;
  const authenticator = new AuthenticatorChain([
    ...(config.authentication.clientCA ? [new X509Authenticator()] : []),
    new StaticTokenAuthenticator(config.authentication.tokens),
    ...serviceAccounts.authenticators,
    ...(oidc ? [new OIDCAuthenticator(oidc, { log: (message) => logger.debug(`Unable to authenticate the request: ${message}`) })] : []),
    ...(tokenWebhook
      ? [
          new WebhookTokenAuthenticator(webhookPoster(tokenWebhook.client), {
            ...tokenWebhook,
            // kube sends its API audiences (--api-audiences, else the issuers) in every TokenReview.
            audiences: tokenWebhook.audiences ?? config.serviceAccounts?.apiAudiences,
            log: (message) => logger.error(message),
          }),
        ]
      : []),
  ]);
  // The review APIs answer from the same authorizers, rule resolvers and authenticators as every request. Without
  // ServiceAccount flags there are no --api-audiences: a TokenReview checks no audience unless it names some, and
  // then a static token or certificate is good for none of them.
  const creaters = reviewCreaters({
    authorizer,
    rules: ruleResolver,
    authenticator,
    apiAudiences: config.serviceAccounts?.apiAudiences ?? [],
    anonymous: config.authentication.anonymous ?? true,
  });
  const createOnly = new Map<ResourceInfo, CreateOnlyStore>();
  for (const r of scheme.resources) {
    if (r.stored) continue;
    const creater = creaters.get(`${r.group}/${r.resource}`);
    if (!creater) throw new Error(`no handler for the create-only resource ${r.resource}.${r.group}`);
    createOnly.set(r, new CreateOnlyStore(r, creater));
  }
  const clientCertificates = config.authentication.clientCA ? new WeakMap<TLSSocket, ClientCertificate | null>() : undefined;
  // Every open watch's closer: shutdown ends each stream cleanly rather than cutting its connection.
  const openWatches = new Set<() => void>();
  const resources = createResourceEndpoints({
    scheme,
    stores,
    createOnly,
    schemas: schemaChecker(),
    admissionFor,
    watch: {
      bookmarkIntervalMs: tuning.bookmarkIntervalMs ?? 60_000,
      minRequestTimeoutSeconds: tuning.minRequestTimeoutSeconds ?? 1800,
      maxPendingBytes: tuning.watchMaxPendingBytes ?? 32 * 1024 * 1024,
      open: openWatches,
    },
    tokenRequest: serviceAccounts.tokenRequest,
  });

  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  app.use(withRequestContext(logger, config.verbosity));
  app.use(async (ctx, next) => {
    // The query is parsed once here; the resource handlers read the same object.
    const query = new URLSearchParams(ctx.querystring);
    ctx.state.query = query;
    ctx.state.requestInfo = parseRequestInfo(ctx.method, ctx.path, query);
    await next();
  });
  // Authentication (401), impersonation (403 unless the requester may impersonate every part; later layers see the
  // impersonated user) and authorization (403), in kube's filter order. One middleware: each step usually answers
  // from memory, so the common request takes no extra turn of the event loop between them.
  const anonymousAuth = config.authentication.anonymous ?? true;
  // A role or binding written through this server counts from the next request: the policy cache catches up with
  // etcd before the first decision after such a write, and every request that arrives meanwhile waits for it too.
  let policyWritten = false;
  let policySync: Promise<void> | undefined;
  app.use(async (ctx, next) => {
    let authenticated = authenticator.authenticate({
      authorization: ctx.get('authorization') || undefined,
      clientCertificate: clientCertificates && clientCertificateOf(ctx.req.socket as TLSSocket, clientCertificates),
    });
    if (authenticated instanceof Promise) authenticated = await authenticated;
    let user: UserInfo;
    if (authenticated.kind !== 'authenticated') goAwayAfter(ctx.req);
    if (authenticated.kind === 'authenticated') user = authenticated.user;
    else if (authenticated.kind === 'none' && anonymousAuth) user = ANONYMOUS;
    else throw unauthorized();

    const raw = ctx.req.rawHeaders;
    let impersonating = false;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i].length >= 12 && raw[i].slice(0, 12).toLowerCase() === 'impersonate-') {
        impersonating = true;
        break;
      }
    }
    if (impersonating) {
      const headers: [string, string][] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i].toLowerCase(), raw[i + 1]]);
      try {
        user = await impersonatedUser(headers, user, (a) => authorizer.authorize(a));
      } catch (e) {
        if (!(e instanceof ImpersonationRequestError)) throw e;
        return internalErrorText(ctx, e.message);
      }
    }
    ctx.state.user = user;

    const info: RequestInfo = ctx.state.requestInfo;
    const attributes = attributesOf(info, user, ctx.state.query);
    if (policyWritten && policy) {
      policyWritten = false;
      const sync: Promise<void> = policy.sync().finally(() => {
        if (policySync === sync) policySync = undefined;
      });
      policySync = sync;
    }
    if (policySync) await policySync;
    let decided = authorizer.authorize(attributes);
    if (decided instanceof Promise) decided = await decided;
    // An authorizer that failed (a webhook) and no other that allowed: responsewriters.InternalError, not a 403.
    if (decided.decision !== 'Allow' && decided.error !== undefined) return internalErrorText(ctx, decided.error);
    if (decided.decision !== 'Allow') throw forbiddenError(attributes, decided.reason);
    const writesPolicy = policy !== undefined && info.isResourceRequest && info.apiGroup === RBAC_GROUP && WRITE_VERBS.has(info.verb);
    if (!writesPolicy) return next();
    try {
      await next();
    } finally {
      policyWritten = true;
    }
  });
  app.use(async (ctx) => {
    const info: RequestInfo = ctx.state.requestInfo;
    if (info.isResourceRequest) return resources(ctx, info, ctx.state.query);
    if (await health.handle(ctx)) return;
    if (handleVersion(ctx)) return;
    if ((ctx.path === '/openapi' || ctx.path.startsWith('/openapi/')) && (await loadOpenAPI()).handle(ctx)) return;
    if (discovery.handle(ctx)) return;
    if (serviceAccounts.discovery.handle(ctx)) return;
    throw routeNotFound();
  });

  // Create the system namespaces before answering ready.
  await cacher?.start();
  // kube-controller-manager's serviceaccounts controller, stood in for: a new namespace gets its `default`
  // ServiceAccount before its create returns, and every namespace has one once the server is ready.
  const serviceAccountStore = storeOf('', 'v1', 'serviceaccounts');
  // A failure here does not fail the namespace's create (the controller would retry); start-up makes up for it.
  namespaceStore.afterCreate = (ns) =>
    ensureDefaultServiceAccount(serviceAccountStore, ns).catch((e) => {
      logger.warn(`creating the default ServiceAccount in namespace ${ns.metadata?.name}: ${(e as Error).message}`);
    });
  await bootstrapNamespaces(namespaceStore, logger);
  await bootstrapDefaultServiceAccounts(namespaceStore, serviceAccountStore);
  await bootstrapPriorityClasses(storeOf('scheduling.k8s.io', 'v1', 'priorityclasses'), logger);
  bootstrapped = true;
  await bootstrapPolicy(policyStores, logger);
  // ClusterIPs and NodePorts: the Service store allocates through these from now on.
  const serviceNetworkConfig = config.services ?? defaultServiceNetworkConfig(config.serving.bindAddress);
  const serviceNetwork = await startServiceNetwork(serviceNetworkConfig, etcd, etcdPrefix, storeOf('', 'v1', 'endpoints'), logger);
  storeOf('', 'v1', 'services').writeHooks = serviceNetwork.hooks;
  await policy?.start();
  await nodeGraph?.start();
  // admin, edit and view gather the rules of the roles labelled for them (kube-controller-manager's job in kube).
  const aggregator =
    policy &&
    new ClusterRoleAggregator(
      policy,
      async (name, rules) => {
        await policyStores.clusterRoles.update(
          '',
          name,
          (current) => {
            if (!current) throw new Error('deleted meanwhile');
            return { ...structuredClone(current), rules };
          },
          { fieldManager: 'clusterrole-aggregation-controller' },
        );
      },
      (message) => logger.warn(message),
    );
  aggregator?.start();
  await aggregator?.idle();
  policyBootstrapped = true;

  const { port, close: closeServing } = await serveSecurely(app.callback(), {
    cert: config.serving.cert,
    key: config.serving.key,
    clientCA: config.authentication.clientCA,
    host: config.serving.bindAddress,
    port: config.serving.securePort,
  });
  const host = config.serving.bindAddress === '0.0.0.0' || config.serving.bindAddress === '::' ? '127.0.0.1' : config.serving.bindAddress;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  serviceAccounts.serve(`${host.includes(':') ? `[${host}]` : host}:${port}`);
  // The `kubernetes` Service needs the port actually served (--secure-port=0 picks one).
  const kubernetesService = new KubernetesService(
    {
      services: storeOf('', 'v1', 'services'),
      endpoints: storeOf('', 'v1', 'endpoints'),
      endpointSlices: storeOf('discovery.k8s.io', 'v1', 'endpointslices'),
    },
    etcd,
    etcdPrefix,
    serviceNetworkConfig,
    port,
    logger,
  );
  await kubernetesService.start();

  return {
    url,
    port,
    async close() {
      shutdown.beginShutdown();
      compactor?.stop();
      await kubernetesService.stop();
      quotaResync?.stop();
      await closeServing(() => {
        for (const closeWatch of openWatches) closeWatch();
      });
      await aggregator?.stop();
      await policy?.stop();
      await nodeGraph?.stop();
      await serviceNetwork.stop();
      await webhookConfigurations.stop();
      await storage.close();
    },
  };
}

/** responsewriters.InternalError: a 500 in plain text, not a Status. */
function internalErrorText(ctx: Koa.Context, message: string): void {
  ctx.status = 500;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('X-Content-Type-Options', 'nosniff');
  const text = `Internal Server Error: ${JSON.stringify(ctx.originalUrl)}: ${message}`;
  ctx.body = `${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}\n`;
}

/** The connection's client certificate, read once per connection (over HTTP/2 `socket` is the session's). */
function clientCertificateOf(socket: TLSSocket, seen: WeakMap<TLSSocket, ClientCertificate | null>): ClientCertificate | undefined {
  let cert = seen.get(socket);
  if (cert === undefined) {
    const peer = socket.getPeerCertificate?.();
    if (!peer || Object.keys(peer).length === 0) cert = null;
    else {
      const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
      cert = {
        verified: socket.authorized,
        commonName: list(peer.subject?.CN)[0] ?? '',
        organizations: list(peer.subject?.O),
        // Node's fingerprint256 is the SHA-256 of the DER, as colon-separated uppercase hex.
        sha256: (peer.fingerprint256 ?? '').replace(/:/g, '').toLowerCase(),
      };
    }
    seen.set(socket, cert);
  }
  return cert ?? undefined;
}
