// What every resource handler receives: the parsed request, the resource's table entry and store, and the
// pipeline pieces that run around storage.
import type Koa from 'koa';
import type { UserInfo } from '../../apimachinery/user.js';
import type { ResourceInfo } from '../../scheme/index.js';
import type { AdmissionHook, ResourceStore } from '../../registry/store.js';
import type { KubeObject } from '../../storage/interface.js';
import type { SchemaCheck } from '../../scheme/schemas.js';
import type { Negotiated } from '../negotiation.js';
import type { RequestInfo } from '../requestinfo.js';

export interface ResourceScope {
  ctx: Koa.Context;
  request: RequestInfo;
  resource: ResourceInfo;
  /** Every served resource: what the decoder may recognise in a body of another kind. */
  servedResources: readonly ResourceInfo[];
  store: ResourceStore;
  negotiated: Negotiated;
  query: URLSearchParams;
  /** Validates a body against the served kind's schema. */
  checkSchema(obj: KubeObject): SchemaCheck;
  admit: AdmissionHook;
  /** Who sent the request (after impersonation): strategies that record the requester read it (CSRs). */
  user: UserInfo;
  /** Who is writing, for managedFields: ?fieldManager, else the User-Agent's product name. */
  fieldManager: string;
  /** Adds a `Warning: 299 - "..."` response header. */
  warn(message: string): void;
}
