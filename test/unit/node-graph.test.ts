// The Node authorizer's graph (src/authorization/node/graph.ts) as kube's graph_test.go exercises it: which objects
// lead to which node as pods and PersistentVolumes come and go.
import assert from 'node:assert/strict';
import { NodeGraph } from '../../src/authorization/node/graph.js';

const pod = (name: string, node: string, spec: object = {}, extra: { annotations?: object; status?: object; uid?: string } = {}) => ({
  metadata: { name, namespace: 'ns', uid: extra.uid ?? `uid-${name}`, ...(extra.annotations && { annotations: extra.annotations }) },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'i' }], ...spec },
  ...(extra.status && { status: extra.status }),
});

describe('Node authorizer graph', () => {
  it('relates the objects a bound pod names to its node only, counting pods that share them', () => {
    const g = new NodeGraph();
    const spec = {
      serviceAccountName: 'sa',
      imagePullSecrets: [{ name: 'pull' }],
      initContainers: [{ name: 'i', image: 'i', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'k' } } }] }],
      containers: [{ name: 'c', image: 'i', envFrom: [{ configMapRef: { name: 'env-cm' } }] }],
      volumes: [
        { name: 'p', projected: { sources: [{ secret: { name: 'proj-secret' } }, { configMap: { name: 'proj-cm' } }] } },
        { name: 'claim', persistentVolumeClaim: { claimName: 'data' } },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
      ],
    };
    g.updatePod(pod('a', 'n1', spec));
    g.updatePod(pod('b', 'n1', { volumes: [{ name: 's', secret: { secretName: 'pull' } }] }));
    g.updatePod(pod('c', 'n2', { volumes: [{ name: 's', secret: { secretName: 'pull' } }] }));
    for (const [type, name] of [
      ['serviceAccount', 'sa'],
      ['secret', 'pull'],
      ['secret', 'env-secret'],
      ['secret', 'proj-secret'],
      ['configmap', 'env-cm'],
      ['configmap', 'proj-cm'],
      ['pvc', 'data'],
      ['pvc', 'a-scratch'],
      ['pod', 'a'],
    ] as const) {
      assert.equal(g.hasPathFrom('n1', type, 'ns', name), true, `${type} ${name}`);
      assert.equal(g.hasPathFrom('n1', type, 'other-ns', name), false, `${type} other-ns/${name}`);
    }
    assert.equal(g.hasPathFrom('n2', 'secret', 'ns', 'env-secret'), false);
    assert.equal(g.hasPathFrom('n2', 'secret', 'ns', 'pull'), true);
    assert.equal(g.hasPathFrom('n2', 'pod', 'ns', 'a'), false);
    g.deletePod('ns', 'a');
    assert.equal(g.hasPathFrom('n1', 'secret', 'ns', 'pull'), true, 'b still mounts it');
    assert.equal(g.hasPathFrom('n1', 'secret', 'ns', 'env-secret'), false);
    g.deletePod('ns', 'b');
    assert.equal(g.hasPathFrom('n1', 'secret', 'ns', 'pull'), false);
    assert.equal(g.hasPathFrom('n2', 'secret', 'ns', 'pull'), true);
  });

  it('ignores unbound pods, and relates only a mirror pod itself', () => {
    const g = new NodeGraph();
    g.updatePod(pod('unbound', '', { volumes: [{ name: 's', secret: { secretName: 's' } }] }));
    assert.equal(g.hasPathFrom('', 'secret', 'ns', 's'), false);
    const mirror = pod(
      'static',
      'n1',
      { volumes: [{ name: 's', secret: { secretName: 's' } }] },
      { annotations: { 'kubernetes.io/config.mirror': 'h' } },
    );
    g.updatePod(mirror);
    assert.equal(g.hasPathFrom('n1', 'pod', 'ns', 'static'), true);
    assert.equal(g.hasPathFrom('n1', 'secret', 'ns', 's'), false);
  });

  it('follows a claim to its PersistentVolume and the kubelet-visible secrets of that volume', () => {
    const g = new NodeGraph();
    g.updatePod(pod('a', 'n1', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }));
    const pv = (claim: string) => ({
      metadata: { name: 'pv1' },
      spec: {
        claimRef: { namespace: 'ns', name: claim },
        csi: {
          driver: 'd',
          volumeHandle: 'h',
          nodePublishSecretRef: { namespace: 'secrets', name: 'publish' },
          nodeStageSecretRef: { namespace: 'secrets', name: 'stage' },
          controllerPublishSecretRef: { namespace: 'secrets', name: 'controller' },
        },
      },
    });
    g.updatePV(pv('data'));
    assert.equal(g.hasPathFrom('n1', 'pv', '', 'pv1'), true);
    assert.equal(g.hasPathFrom('n1', 'secret', 'secrets', 'publish'), true);
    assert.equal(g.hasPathFrom('n1', 'secret', 'secrets', 'stage'), true);
    assert.equal(g.hasPathFrom('n1', 'secret', 'secrets', 'controller'), false, 'not kubelet-visible');
    assert.equal(g.hasPathFrom('n2', 'pv', '', 'pv1'), false);
    g.updatePV(pv('other-claim'));
    assert.equal(g.hasPathFrom('n1', 'pv', '', 'pv1'), false);
    assert.equal(g.hasPathFrom('n1', 'secret', 'secrets', 'publish'), false);
    g.updatePV(pv('data'));
    g.deletePV('pv1');
    assert.equal(g.hasPathFrom('n1', 'secret', 'secrets', 'publish'), false);
  });

  it('names resource claims directly or from the pod status for templates, and re-reads a pod when its claim status changes', () => {
    const g = new NodeGraph();
    const spec = {
      resourceClaims: [
        { name: 'direct', resourceClaimName: 'gpu' },
        { name: 'templated', resourceClaimTemplateName: 'tmpl' },
      ],
    };
    const before = pod('a', 'n1', spec);
    g.updatePod(before);
    assert.equal(g.hasPathFrom('n1', 'resourceclaim', 'ns', 'gpu'), true);
    assert.equal(g.hasPathFrom('n1', 'resourceclaim', 'ns', 'a-templated-x1'), false);
    const after = pod('a', 'n1', spec, { status: { resourceClaimStatuses: [{ name: 'templated', resourceClaimName: 'a-templated-x1' }] } });
    g.updatePod(after, before);
    assert.equal(g.hasPathFrom('n1', 'resourceclaim', 'ns', 'a-templated-x1'), true);
  });

  it('relates VolumeAttachments and ResourceSlices to the node they name', () => {
    const g = new NodeGraph();
    g.setVolumeAttachment('va', 'n1');
    g.setResourceSlice('slice', 'n2');
    assert.equal(g.hasPathFrom('n1', 'volumeattachment', '', 'va'), true);
    assert.equal(g.hasPathFrom('n2', 'volumeattachment', '', 'va'), false);
    assert.equal(g.hasPathFrom('n2', 'resourceslice', '', 'slice'), true);
    g.setVolumeAttachment('va', undefined);
    assert.equal(g.hasPathFrom('n1', 'volumeattachment', '', 'va'), false);
  });
});
