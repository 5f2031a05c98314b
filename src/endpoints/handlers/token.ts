// POST serviceaccounts/<name>/token: the TokenRequest subresource (k8s.io/kubernetes/pkg/registry/core/serviceaccount/
// storage/token.go's TokenREST.Create, with pkg/apis/authentication/validation's ValidateTokenRequest and v1's
// SetDefaults_TokenRequestSpec). Nothing is stored: the answer is the request with a signed token in its status.
import { badRequest, conflict, invalid, notFound, routeNotFound, type FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { formatTime } from '../../apimachinery/time.js';
import type { ServiceAccountTokenGetter } from '../../authentication/serviceaccount/authenticator.js';
import {
  EXPIRATION_EXTENSION_SECONDS,
  serviceAccountClaims,
  WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
  type TokenSigner,
} from '../../authentication/serviceaccount/claims.js';
import { KUBERNETES_PROTOBUF } from '../../protobuf/media.js';
import { goEncoded, goMessageFor } from '../../registry/gojson.js';
import type { SchemaCheck } from '../../scheme/schemas.js';
import { bodyMediaType, decodeObject, readBody } from '../body.js';
import { writeObject } from '../responses.js';
import { validateWriteOptions } from './options.js';
import { checkSubresourceKind } from './subresource-kind.js';
import type { ResourceScope } from './scope.js';

const GROUP = 'authentication.k8s.io';
const GROUP_VERSION = `${GROUP}/v1`;
/** ValidateTokenRequest's MinTokenAgeSec. */
const MIN_TOKEN_AGE_SECONDS = 10 * 60;

/** What issuing tokens needs beside the ServiceAccount store: the signer, the server's audiences and the bound objects. */
export interface TokenRequestIssuer {
  signer: TokenSigner;
  apiAudiences: string[];
  /** --service-account-max-token-expiration in seconds; 0 is none. */
  maxExpirationSeconds: number;
  extendExpiration: boolean;
  /** Consistent reads of the objects a token may be bound to. */
  objects: ServiceAccountTokenGetter;
}

export async function tokenRequestHandler(
  scope: ResourceScope,
  issuer: TokenRequestIssuer | undefined,
  checkSchema: (obj: KubeObject) => SchemaCheck,
): Promise<void> {
  // Without --service-account-signing-key-file kube-apiserver does not start; kgate serves no token subresource.
  if (!issuer) throw routeNotFound();
  const { ctx, request, store } = scope;
  const { fieldValidation } = validateWriteOptions(scope.query, 'CreateOptions');
  const mediaType = bodyMediaType(ctx.get('content-type'), ['application/json', 'application/yaml', KUBERNETES_PROTOBUF]);
  const body = await decodeObject(await readBody(ctx), mediaType, 'TokenRequest');
  checkSubresourceKind(scope, body, { groupVersion: GROUP_VERSION, kind: 'TokenRequest', internalGroup: 'authentication' });
  body.apiVersion = GROUP_VERSION;
  body.kind = 'TokenRequest';
  const checked = checkSchema(body);
  const cannotHandle = 'TokenRequest in version "v1" cannot be handled as a TokenRequest';
  if (checked.typeErrors.length > 0) throw badRequest(`${cannotHandle}: ${checked.typeErrors[0]}`);
  if (checked.unknownFields.length > 0) {
    if (fieldValidation === 'Strict') {
      throw badRequest(`${cannotHandle}: strict decoding error: ${checked.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
    }
    if (fieldValidation === 'Warn') for (const f of checked.unknownFields) scope.warn(`unknown field "${f}"`);
  }
  const req = checked.object as KubeObject;
  const metadata: Record<string, any> = req.metadata && typeof req.metadata === 'object' ? { ...req.metadata } : {};
  const spec: Record<string, any> = req.spec && typeof req.spec === 'object' ? { ...req.spec } : {};
  spec.expirationSeconds ??= 3600;
  const name = request.name;
  const namespace = request.namespace;
  // The create handler's own check (EnsureObjectNamespaceMatchesRequestNamespace), before TokenREST sees the request.
  if (metadata.namespace && metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  // The create handler's admission runs before TokenREST.Create, on the request as decoded (NodeRestriction checks a
  // kubelet's token is bound to one of its pods and asks for an audience that pod uses).
  const admitted = { ...req, metadata: { ...metadata, name: metadata.name || name }, spec } as KubeObject;
  await scope.admit.admit('CREATE', admitted, undefined, false);
  await scope.admit.validate('CREATE', admitted, undefined, false);

  if (metadata.name && metadata.name !== name) {
    throw invalid(GROUP, 'TokenRequest', name, [
      {
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        value: metadata.name,
        detail: 'must match the service account name if specified',
      },
    ]);
  }
  const serviceAccount = await store.get(namespace, name);
  const saUID = String(serviceAccount.metadata?.uid ?? '');
  if (metadata.uid && metadata.uid !== saUID) {
    // TokenRequestServiceAccountUIDValidation is on by default in v1.34.
    throw conflict(
      { group: GROUP, resource: 'TokenRequest' },
      name,
      `the UID in the token request (${metadata.uid}) does not match the UID of the service account (${saUID})`,
    );
  }
  if (!Array.isArray(spec.audiences) || spec.audiences.length === 0) spec.audiences = [...issuer.apiAudiences];
  const now = new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const errors = validateTokenRequest(spec);
  if (errors.length > 0) throw invalid(GROUP, 'TokenRequest', '', errors);

  const bound = await boundObjects(spec.boundObjectRef, name, namespace, issuer.objects);
  if (issuer.maxExpirationSeconds > 0 && spec.expirationSeconds > issuer.maxExpirationSeconds) {
    scope.warn(`requested expiration of ${spec.expirationSeconds} seconds shortened to ${issuer.maxExpirationSeconds} seconds`);
    spec.expirationSeconds = issuer.maxExpirationSeconds;
  }
  // Projected tokens for pods get a year, with a warning time at the hour they asked for (safe transition from legacy tokens).
  let exp: number = spec.expirationSeconds;
  let warnAfter = 0;
  const kubeAudiences = (spec.audiences as string[]).every((a) => issuer.apiAudiences.includes(a));
  if (issuer.extendExpiration && bound.pod && exp === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && kubeAudiences) {
    warnAfter = exp;
    exp = EXPIRATION_EXTENSION_SECONDS;
  }
  const token = await issuer.signer.sign(
    serviceAccountClaims({
      serviceAccount,
      ...bound,
      expirationSeconds: exp,
      warnAfterSeconds: warnAfter,
      audiences: spec.audiences,
      now: nowSeconds,
    }),
  );
  const creationTimestamp = formatTime(now);
  const response = {
    kind: 'TokenRequest',
    apiVersion: GROUP_VERSION,
    metadata: {
      ...metadata,
      name: metadata.name || name,
      namespace: metadata.namespace || namespace,
      uid: metadata.uid || saUID,
      creationTimestamp,
      managedFields: [
        {
          manager: scope.fieldManager,
          operation: 'Update',
          apiVersion: GROUP_VERSION,
          time: creationTimestamp,
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': specFields(req.spec, spec) },
          subresource: 'token',
        },
      ],
    },
    spec: { ...spec, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: formatTime(new Date((nowSeconds + Number(spec.expirationSeconds)) * 1000)) },
  };
  writeObject(ctx, 201, goEncoded(response, goMessageFor(GROUP_VERSION, 'TokenRequest')), scope.negotiated.mediaType);
}

/** ValidateTokenRequest. */
function validateTokenRequest(spec: Record<string, any>): FieldError[] {
  const errors: FieldError[] = [];
  const seconds = Number(spec.expirationSeconds);
  if (seconds < MIN_TOKEN_AGE_SECONDS) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.expirationSeconds',
      value: seconds,
      detail: 'may not specify a duration less than 10 minutes',
    });
  }
  if (seconds > 2 ** 32) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.expirationSeconds',
      value: seconds,
      detail: 'may not specify a duration larger than 2^32 seconds',
    });
  }
  return errors;
}

/** The fields the request set, as the field manager records them for the client's Update of the subresource. */
function specFields(sent: unknown, spec: Record<string, any>): Record<string, unknown> {
  const given = (sent && typeof sent === 'object' ? sent : {}) as Record<string, any>;
  const fields: Record<string, unknown> = {};
  if (Array.isArray(given.audiences) && given.audiences.length > 0) fields['f:audiences'] = {};
  const ref = given.boundObjectRef;
  if (ref && typeof ref === 'object') {
    const refFields: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind', 'name', 'uid']) if (ref[key]) refFields[`f:${key}`] = {};
    fields['f:boundObjectRef'] = refFields;
  }
  if (spec.expirationSeconds !== undefined) fields['f:expirationSeconds'] = {};
  return fields;
}

interface BoundObjects {
  pod?: KubeObject;
  secret?: KubeObject;
  node?: KubeObject;
}

/** TokenREST's boundObjectRef checks: a Pod running as this ServiceAccount (and its node), a Node, or a Secret. */
async function boundObjects(
  ref: Record<string, any> | undefined | null,
  saName: string,
  namespace: string,
  objects: ServiceAccountTokenGetter,
): Promise<BoundObjects> {
  if (!ref) return {};
  const apiVersion = String(ref.apiVersion ?? '');
  const kind = String(ref.kind ?? '');
  const refName = String(ref.name ?? '');
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  const required = async (obj: Promise<KubeObject | undefined>, resource: string) => {
    const found = await obj;
    if (!found) throw notFound({ group: '', resource }, refName);
    return found;
  };
  let bound: BoundObjects;
  let uid: string;
  if (group === '' && kind === 'Pod') {
    const pod = await required(objects.getPod(namespace, refName), 'pods');
    if (saName !== pod.spec?.serviceAccountName) {
      throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(saName)} to pod running with different serviceaccount name.`);
    }
    bound = { pod };
    uid = String(pod.metadata?.uid ?? '');
    const nodeName = pod.spec?.nodeName;
    if (nodeName) bound.node = (await objects.getNode(nodeName)) ?? { metadata: { name: nodeName } };
  } else if (group === '' && kind === 'Node') {
    const node = await required(objects.getNode(refName), 'nodes');
    bound = { node };
    uid = String(node.metadata?.uid ?? '');
  } else if (group === '' && kind === 'Secret') {
    const secret = await required(objects.getSecret(namespace, refName), 'secrets');
    bound = { secret };
    uid = String(secret.metadata?.uid ?? '');
  } else {
    throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${kind}`);
  }
  if (ref.uid && ref.uid !== uid) {
    throw conflict(
      { group, resource: kind },
      refName,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return bound;
}
