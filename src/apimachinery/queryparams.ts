// Query parameters decoded as kube-apiserver's parameter codec decodes them (k8s.io/apimachinery/pkg/runtime
// conversion.go: Convert_Slice_string_To_{string,bool,Pointer_bool,int64,Pointer_int64}, used by the generated
// Convert_url_Values_To_v1_{List,Get,Delete,Create,Update,Patch}Options). Only the first value of a repeated
// parameter counts (dryRun, a list, keeps them all); unknown parameters are ignored.
//
// Booleans are not strconv.ParseBool: only "false" and "0" (any case) are false, and every other value — "True"
// from the Python client, "yes", even "" — is true. Integers are strconv.ParseInt(s, 10, 64); a bad one is a 400
// whose message is Go's error text.
import { badRequest } from './errors.js';
import { parseGoInt } from './strconv.js';

/** A boolean parameter; undefined when absent. */
export function queryBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const lower = v.toLowerCase();
  return !(lower === 'false' || lower === '0');
}

/** An int64 parameter; undefined when absent. A present but malformed value (even "") is kube's 400. */
export function queryInt64(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const parsed = parseGoInt(v, 10, 64);
  if (typeof parsed === 'string') throw badRequest(parsed);
  return parsed;
}

/** A string parameter: the first value; undefined when absent. */
export function queryString(q: URLSearchParams, name: string): string | undefined {
  return q.get(name) ?? undefined;
}

/** The `watch` decision of RequestInfo: present and not "false"/"0". */
export function isWatchQuery(q: URLSearchParams): boolean {
  return queryBool(q, 'watch') === true;
}
