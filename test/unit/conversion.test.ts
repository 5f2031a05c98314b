import assert from 'node:assert/strict';
import { converter } from '../../src/registry/conversion/index.js';

const core = { group: '', version: 'v1', kind: 'Event' };
const events = { group: 'events.k8s.io', version: 'v1', kind: 'Event' };
const hpa1 = { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' };
const hpa2 = { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' };

describe('conversion between served and storage versions', function () {
  it('maps events.k8s.io/v1 Event fields onto core/v1 Event and back', function () {
    const ev = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'd' },
      regarding: { kind: 'Pod', name: 'p' },
      note: 'hello',
      reason: 'Started',
      type: 'Normal',
      reportingController: 'kubelet',
      reportingInstance: 'node-1',
      eventTime: '2024-01-01T00:00:00.000000Z',
      deprecatedCount: 3,
    };
    const stored = converter(events, core)!(ev);
    assert.deepEqual(stored, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'd' },
      involvedObject: { kind: 'Pod', name: 'p' },
      message: 'hello',
      reason: 'Started',
      type: 'Normal',
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
      eventTime: '2024-01-01T00:00:00.000000Z',
      count: 3,
    });
    assert.deepEqual(converter(core, events)!(stored), ev);
  });

  it('carries an autoscaling/v1 CPU target into v2 metrics and back without loss', function () {
    const v1 = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 70 },
    };
    const v2 = converter(hpa1, hpa2)!(v1);
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual(v2.spec.metrics, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    assert.equal(v2.spec.targetCPUUtilizationPercentage, undefined);
    const withMemory = structuredClone(v2);
    withMemory.spec.metrics.push({
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
    });
    const back = converter(hpa2, hpa1)!(withMemory);
    assert.equal(back.spec.targetCPUUtilizationPercentage, 70);
    assert.deepEqual(JSON.parse(back.metadata!.annotations['autoscaling.alpha.kubernetes.io/metrics']), [withMemory.spec.metrics[1]]);
    assert.deepEqual(converter(hpa1, hpa2)!(back).spec.metrics, withMemory.spec.metrics);
  });

  it('needs no converter for a kind stored as served', function () {
    assert.equal(converter(core, core), undefined);
  });
});
