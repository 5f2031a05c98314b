// Parses a request path once into what it addresses (apiserver/pkg/endpoints/request/requestinfo.go).
import { isWatchQuery } from '../apimachinery/queryparams.js';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; or the lower-cased HTTP method for non-resource paths. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** Special verbs whose path after the name is not a subresource (the proxied path). */
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(['proxy']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/**
 * `query` is the parsed query string; on a list, a `watch` parameter with any value but `false` or `0` makes it
 * a watch, as kube's parameter codec decodes booleans (runtime.Convert_Slice_string_To_bool).
 */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const segments = path
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter((s) => s !== '');
  if (segments.length === 0) return info;
  const prefix = segments[0];
  if (prefix !== 'api' && prefix !== 'apis') return info;
  info.apiPrefix = prefix;
  let rest = segments.slice(1);
  if (prefix === 'apis') {
    if (rest.length < 1) return info;
    info.apiGroup = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length < 1) return info;
  info.apiVersion = rest[0];
  rest = rest.slice(1);
  if (rest.length < 1) return info; // discovery of a group/version

  info.isResourceRequest = true;
  // Legacy /watch/ and /proxy/ path verbs.
  if (SPECIAL_VERBS.has(rest[0])) {
    if (rest.length < 2) {
      info.isResourceRequest = false;
      return info;
    }
    info.verb = rest[0];
    rest = rest.slice(1);
  } else {
    switch (method.toUpperCase()) {
      case 'POST':
        info.verb = 'create';
        break;
      case 'GET':
      case 'HEAD':
        info.verb = 'get';
        break;
      case 'PUT':
        info.verb = 'update';
        break;
      case 'PATCH':
        info.verb = 'patch';
        break;
      case 'DELETE':
        info.verb = 'delete';
        break;
      default:
        info.verb = '';
    }
  }

  if (rest[0] === 'namespaces') {
    if (rest.length > 1) {
      info.namespace = decodeSegment(rest[1]);
      // /namespaces/{ns} alone, and its status and finalize subresources, address the namespace object itself.
      if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) rest = rest.slice(2);
    }
  }
  info.parts = rest.map(decodeSegment);
  if (info.parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(info.verb)) info.subresource = info.parts[2];
  if (info.parts.length >= 2) info.name = info.parts[1];
  if (info.parts.length >= 1) info.resource = info.parts[0];
  // /namespaces/{name}: the namespace is the object's name, not its scope.
  if (info.resource === 'namespaces') info.namespace = '';

  // Only a list becomes a watch: a GET of one object stays a get whatever its query says.
  if (info.name === '' && info.verb === 'get') info.verb = isWatchQuery(query) ? 'watch' : 'list';
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}

function decodeSegment(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
