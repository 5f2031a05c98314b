// The steps before a create is written, in kube-apiserver's order (k8s.io/apiserver/pkg/registry/rest/create.go
// BeforeCreate, with store.Create's FillObjectMetaSystemFields and name generation before it). Pure: the caller
// supplies the uid, the time and the name generator, and runs admission and storage afterwards.
import { invalid, type FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { mergeSchemaErrors, validateObjectMeta } from '../../apimachinery/validation.js';
import type { UserInfo } from '../../apimachinery/user.js';
import type { ResourceInfo } from '../../scheme/index.js';
import type { Strategy } from '../strategy.js';

export interface CreateContext {
  info: ResourceInfo;
  strategy: Strategy;
  /** The request's namespace ('' for cluster-scoped resources). */
  namespace: string;
  /** Required-field and enum errors the schema check found: part of the kind's own validation. */
  schemaErrors?: FieldError[];
  uid: string;
  /** metav1.Time of the create. */
  now: string;
  generateName(base: string): string;
  /** The requesting user (genericapirequest.UserFrom), when the request has one. */
  user?: UserInfo;
}

/**
 * Prepares `obj` for storage and validates it, in place:
 * 1. system fields (uid, creationTimestamp) and a generated name; fields clients may not set are cleared;
 * 2. the kind's PrepareForCreate;
 * 3. the kind's own validation: ObjectMeta with the kind's name rule (or where the kind's rules put it), the
 *    schema's required/enum errors, then the kind's rules, in one 422 (a kind whose validation checks no ObjectMeta
 *    gets the ObjectMeta errors only when its own rules pass). (kube then runs the generic ObjectMeta check with path-segment names; every
 *    kind's name rule is at least that strict and the other ObjectMeta checks are the same, so it cannot fail
 *    after step 3 passed and is not repeated.)
 * Returns whether the name was generated (a collision then retries with a new one).
 */
export function beforeCreate(ctx: CreateContext, obj: KubeObject): { generatedName: boolean } {
  const meta = (obj.metadata ??= {});
  if (ctx.info.namespaced) meta.namespace = ctx.namespace;
  else delete meta.namespace;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  // A client's generation stays (and is validated) unless the kind's PrepareForCreate sets it to 1.
  delete meta.selfLink;
  if (Array.isArray(meta.managedFields) && meta.managedFields.length === 0) delete meta.managedFields;
  meta.uid = ctx.uid;
  meta.creationTimestamp = ctx.now;
  const generatedName = !meta.name && typeof meta.generateName === 'string' && meta.generateName !== '';
  if (generatedName) meta.name = ctx.generateName(meta.generateName);

  ctx.strategy.prepareForCreate(obj, { user: ctx.user });

  const metaErrors = ctx.strategy.validatesObjectMeta
    ? []
    : validateObjectMeta(meta, { namespaced: ctx.info.namespaced, nameValidation: ctx.strategy.nameValidation });
  const kindErrors = mergeSchemaErrors(ctx.strategy.replacesSchemaChecks ? undefined : ctx.schemaErrors, ctx.strategy.validate(obj));
  const errors = ctx.strategy.checksObjectMeta || kindErrors.length === 0 ? [...metaErrors, ...kindErrors] : kindErrors;
  if (errors.length > 0) throw invalid(ctx.strategy.errorGroup ?? ctx.info.group, ctx.info.kind, meta.name ?? '', errors);
  return { generatedName };
}
