// The OpenAPI documents built from the Scheme and the generated definitions.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { OpenAPIDocuments } from '../../src/endpoints/openapi.js';
import { builtinScheme } from '../../src/scheme/index.js';

const V3 = '#/components/schemas/';

describe('OpenAPI documents', function () {
  this.timeout(30_000);
  const docs = new OpenAPIDocuments(builtinScheme());
  const core = JSON.parse(docs.groupVersion('api/v1')!.json);
  const apps = JSON.parse(docs.groupVersion('apis/apps/v1')!.json);
  const schemas = core.components.schemas;

  it('indexes every served group/version with the uppercase SHA-512 of its document, stable across builds', () => {
    const index = JSON.parse(docs.index().json);
    assert.ok(index.paths['api/v1'] && index.paths['apis/apps/v1'] && index.paths['apis/rbac.authorization.k8s.io/v1']);
    const v1 = docs.groupVersion('api/v1')!;
    assert.equal(v1.hash, createHash('sha512').update(v1.json).digest('hex').toUpperCase());
    assert.equal(index.paths['api/v1'].serverRelativeURL, `/openapi/v3/api/v1?hash=${v1.hash}`);
    const rebuilt = new OpenAPIDocuments(builtinScheme());
    assert.equal(rebuilt.index().json, docs.index().json);
    assert.equal(docs.groupVersion('apis/nope/v1'), undefined);
  });

  it('is an OpenAPI 3.0 document titled Kubernetes v1.34.0', () => {
    assert.equal(core.openapi, '3.0.0');
    assert.deepEqual(core.info, { title: 'Kubernetes', version: 'v1.34.0' });
  });

  it('gives the pod PATCH operation the fieldValidation parameter and the pod GVK (what kubectl checks)', () => {
    const patch = core.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    assert.equal(patch.operationId, 'patchCoreV1NamespacedPod');
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'Pod', version: 'v1' });
    const names = patch.parameters.map((p: { name: string }) => p.name);
    assert.deepEqual(names, ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    assert.deepEqual(Object.keys(patch.requestBody.content), [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    assert.equal(patch.responses['200'].content['application/json'].schema.$ref, `${V3}io.k8s.api.core.v1.Pod`);
  });

  it('names operations as kube does', () => {
    assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods'].post.operationId, 'createCoreV1NamespacedPod');
    assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods'].delete.operationId, 'deleteCoreV1CollectionNamespacedPod');
    assert.equal(core.paths['/api/v1/pods'].get.operationId, 'listCoreV1PodForAllNamespaces');
    assert.equal(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'].get.operationId, 'readCoreV1NamespacedPodStatus');
    assert.equal(core.paths['/api/v1/watch/namespaces/{namespace}/pods'].get['x-kubernetes-action'], 'watchlist');
    assert.equal(core.paths['/api/v1/namespaces/{name}/finalize'].put.operationId, 'replaceCoreV1NamespaceFinalize');
    assert.equal(
      apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].put.operationId,
      'replaceAppsV1NamespacedDeployment',
    );
    const create = core.paths['/api/v1/namespaces/{namespace}/pods'].post;
    assert.deepEqual(
      create.parameters.map((p: { name: string }) => p.name),
      ['dryRun', 'fieldManager', 'fieldValidation'],
    );
  });

  it('carries the patch and list extensions of the fact sheet on the schema properties', () => {
    const containers = schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers['x-kubernetes-list-type'], 'map');
    assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
    assert.equal(containers.items.$ref, `${V3}io.k8s.api.core.v1.Container`);
    const ports = schemas['io.k8s.api.core.v1.Container'].properties.ports;
    assert.equal(ports['x-kubernetes-patch-merge-key'], 'containerPort');
    assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.equal(schemas['io.k8s.api.core.v1.PodSpec'].properties.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    assert.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.finalizers['x-kubernetes-list-type'], 'set');
    const strategy = apps.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy;
    assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
    assert.deepEqual(strategy.allOf, [{ $ref: `${V3}io.k8s.api.apps.v1.DeploymentStrategy` }]);
  });

  it('shapes the apimachinery scalars as kube-openapi does', () => {
    const quantity = schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'];
    assert.deepEqual(quantity.oneOf, [{ type: 'string' }, { type: 'number' }]);
    const intOrString = schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
    assert.equal(intOrString.format, 'int-or-string');
    assert.deepEqual(intOrString.oneOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time');
    assert.equal(
      schemas['io.k8s.api.core.v1.ResourceRequirements'].properties.limits.additionalProperties.$ref,
      `${V3}io.k8s.apimachinery.pkg.api.resource.Quantity`,
    );
    assert.equal(schemas['io.k8s.api.core.v1.ContainerPort'].properties.containerPort.format, 'int32');
  });

  it('puts x-kubernetes-group-version-kind on kinds and keeps only the definitions a group/version reaches', () => {
    assert.deepEqual(schemas['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
    assert.ok(schemas['io.k8s.api.core.v1.PodList']);
    assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Patch']);
    assert.equal(schemas['io.k8s.api.apps.v1.Deployment'], undefined);
    assert.ok(apps.components.schemas['io.k8s.api.core.v1.PodTemplateSpec']);
    assert.equal(apps.components.schemas['io.k8s.api.core.v1.Service'], undefined);
    for (const text of [docs.groupVersion('api/v1')!.json, docs.groupVersion('apis/apps/v1')!.json]) {
      const doc = JSON.parse(text);
      for (const [, ref] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
        assert.ok(doc.components.schemas[ref], `dangling $ref ${ref}`);
    }
  });

  it('writes a Swagger 2.0 document of everything with #/definitions/ refs', () => {
    const text = docs.swagger().json;
    const swagger = JSON.parse(text);
    assert.equal(swagger.swagger, '2.0');
    assert.ok(!text.includes('#/components/schemas/'));
    assert.deepEqual(swagger.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, 'string');
    assert.equal(swagger.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
    assert.equal(swagger.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'].type, 'string');
    const strategy = swagger.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy;
    assert.equal(strategy.$ref, '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy');
    assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
    const patch = swagger.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    assert.ok(patch.parameters.some((p: { name: string; in: string }) => p.name === 'fieldValidation' && p.in === 'query'));
    assert.equal(patch.parameters[0].in, 'body');
    for (const [, ref] of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) assert.ok(swagger.definitions[ref], `dangling $ref ${ref}`);
  });
});
