import assert from 'node:assert/strict';
import { builtinScheme, type ResourceInfo } from '../../src/scheme/index.js';
import { cellsFor } from '../../src/registry/printers/index.js';
import { humanDuration, rfc3339, timestampSince } from '../../src/registry/printers/humanDuration.js';
import { printerFor } from '../../src/registry/strategies/index.js';

/** The row conditions of a resource's printer, as the Table renderer reads them. */
function rowConditionsFor(r: ResourceInfo) {
  return printerFor(r.group, r.resource)?.rowConditions;
}
import type { KubeObject } from '../../src/storage/interface.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** An RFC3339 timestamp `ms` before NOW. */
function ago(ms: number): string {
  return new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const scheme = builtinScheme();

function resource(group: string, version: string, name: string): ResourceInfo {
  const r = scheme.lookup(group, version, name);
  assert.ok(r, `${group}/${version}/${name} is served`);
  return r;
}

function row(group: string, version: string, name: string, obj: KubeObject): unknown[] {
  return cellsFor(resource(group, version, name), printerFor(group, name))(obj, NOW);
}

function meta(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, namespace: 'default', creationTimestamp: ago(5 * M), ...extra };
}

describe('printers', () => {
  describe('HumanDuration', () => {
    const cases: [number, string][] = [
      [-2 * S, '<invalid>'],
      [-1999, '0s'],
      [-1 * S, '0s'],
      [0, '0s'],
      [999, '0s'],
      [1 * S, '1s'],
      [2 * M - 1, '119s'],
      [2 * M, '2m'],
      [2 * M + 30 * S, '2m30s'],
      [10 * M - 1, '9m59s'],
      [10 * M, '10m'],
      [3 * H - 1, '179m'],
      [3 * H, '3h'],
      [3 * H + 30 * M, '3h30m'],
      [8 * H - 1, '7h59m'],
      [8 * H, '8h'],
      [48 * H - 1, '47h'],
      [48 * H, '2d'],
      [49 * H, '2d1h'],
      [8 * D - 1, '7d23h'],
      [8 * D, '8d'],
      [730 * D - 1, '729d'],
      [730 * D, '2y'],
      [731 * D, '2y1d'],
      [8 * 365 * D - 1, '7y364d'],
      [8 * 365 * D, '8y'],
      [20 * 365 * D, '20y'],
    ];
    for (const [ms, want] of cases) {
      it(`${ms}ms -> ${want}`, () => assert.equal(humanDuration(ms), want));
    }

    it('renders a missing or unparseable timestamp as <unknown>', () => {
      assert.equal(timestampSince(undefined, NOW), '<unknown>');
      assert.equal(timestampSince('', NOW), '<unknown>');
      assert.equal(timestampSince('not a time', NOW), '<unknown>');
      assert.equal(timestampSince(ago(90 * S), NOW), '90s');
      assert.equal(timestampSince('2025-06-01T11:59:59.999999Z', NOW), '0s');
    });

    it('renders Created At as RFC3339 UTC', () => {
      assert.equal(rfc3339('2024-02-03T04:05:06Z'), '2024-02-03T04:05:06Z');
      assert.equal(rfc3339('2024-02-03T05:05:06+01:00'), '2024-02-03T04:05:06Z');
      assert.equal(rfc3339(undefined), '0001-01-01T00:00:00Z');
    });
  });

  describe('every served resource', () => {
    // The create-only review APIs are never read, so they have no Table printer.
    for (const r of scheme.resources.filter((x) => x.stored)) {
      it(`${r.groupVersion} ${r.resource}: a printer whose columns match the scheme, one cell per column (and the extra cells kube's row carries)`, () => {
        const printer = printerFor(r.group, r.resource);
        assert.ok(printer, 'has a printer');
        assert.deepEqual(
          printer.columns,
          r.columns.map((c) => c.name),
        );
        const cells = cellsFor(r, printer)({ metadata: { name: 'x', creationTimestamp: ago(M) } }, NOW);
        assert.equal(cells.length, r.columns.length + (printer.extraCells ?? 0));
      });
    }
  });

  describe('pods', () => {
    const spec = { containers: [{ name: 'app', image: 'nginx' }] };
    const running = { state: { running: { startedAt: ago(4 * M) } }, ready: true, started: true, restartCount: 0 };

    const cases: { name: string; pod: KubeObject; want: unknown[] }[] = [
      {
        name: 'Running 1/1',
        pod: {
          metadata: meta('web'),
          spec: { ...spec, nodeName: 'node-1' },
          status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [{ name: 'app', ...running }] },
        },
        want: ['web', '1/1', 'Running', '0', '5m', '10.0.0.5', 'node-1', '<none>', '<none>'],
      },
      {
        name: 'CrashLoopBackOff with restarts and the last termination age',
        pod: {
          metadata: meta('crash'),
          spec,
          status: {
            phase: 'Running',
            podIPs: [{ ip: '10.0.0.6' }],
            containerStatuses: [
              {
                name: 'app',
                ready: false,
                restartCount: 2,
                state: { waiting: { reason: 'CrashLoopBackOff' } },
                lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * M) } },
              },
            ],
          },
        },
        want: ['crash', '0/1', 'CrashLoopBackOff', '2 (5m ago)', '5m', '10.0.0.6', '<none>', '<none>', '<none>'],
      },
      {
        name: 'Terminating',
        pod: {
          metadata: meta('going', { deletionTimestamp: ago(10 * S) }),
          spec,
          status: { phase: 'Running', containerStatuses: [{ name: 'app', ...running }] },
        },
        want: ['going', '1/1', 'Terminating', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
      {
        name: 'a finished pod being deleted keeps its reason',
        pod: {
          metadata: meta('done', { deletionTimestamp: ago(10 * S) }),
          spec,
          status: {
            phase: 'Succeeded',
            containerStatuses: [
              { name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            ],
          },
        },
        want: ['done', '0/1', 'Completed', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
      {
        name: 'NodeLost while deleting is Unknown',
        pod: { metadata: meta('lost', { deletionTimestamp: ago(S) }), spec, status: { phase: 'Running', reason: 'NodeLost' } },
        want: ['lost', '0/1', 'Unknown', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
      {
        name: 'Init:1/2 while the second init container runs',
        pod: {
          metadata: meta('init'),
          spec: {
            ...spec,
            initContainers: [
              { name: 'a', image: 'busybox' },
              { name: 'b', image: 'busybox' },
            ],
          },
          status: {
            phase: 'Pending',
            initContainerStatuses: [
              { name: 'a', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
              { name: 'b', ready: false, restartCount: 1, state: { running: {} } },
            ],
            containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
          },
        },
        want: ['init', '0/1', 'Init:1/2', '1', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
      {
        name: 'Init:<reason> for a waiting init container',
        pod: {
          metadata: meta('pull'),
          spec: { ...spec, initContainers: [{ name: 'a', image: 'nope' }] },
          status: {
            phase: 'Pending',
            initContainerStatuses: [{ name: 'a', restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } }],
          },
        },
        want: ['pull', '0/1', 'Init:ErrImagePull', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
      {
        name: 'Init:ExitCode and Init:Signal for reasonless failures',
        pod: {
          metadata: meta('fail'),
          spec: { ...spec, initContainers: [{ name: 'a', image: 'x' }] },
          status: { phase: 'Pending', initContainerStatuses: [{ name: 'a', restartCount: 0, state: { terminated: { exitCode: 3 } } }] },
        },
        want: ['fail', '0/1', 'Init:ExitCode:3', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
      {
        name: 'a started, ready sidecar counts toward Ready and total',
        pod: {
          metadata: meta('sidecar'),
          spec: {
            ...spec,
            initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }],
            readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }],
          },
          status: {
            phase: 'Running',
            conditions: [
              { type: 'Initialized', status: 'True' },
              { type: 'example.com/lb', status: 'True' },
              { type: 'example.com/dns', status: 'False' },
            ],
            nominatedNodeName: 'node-2',
            initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: { running: {} } }],
            containerStatuses: [{ name: 'app', ...running }],
          },
        },
        want: ['sidecar', '2/2', 'Running', '1', '5m', '<none>', '<none>', 'node-2', '1/2'],
      },
      {
        name: 'Pending without statuses',
        pod: { metadata: meta('new'), spec, status: { phase: 'Pending' } },
        want: ['new', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
      {
        name: 'SchedulingGated',
        pod: {
          metadata: meta('gated'),
          spec,
          status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
        },
        want: ['gated', '0/1', 'SchedulingGated', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
      {
        name: 'the first container in spec order decides; Signal:<n> for a reasonless kill',
        pod: {
          metadata: meta('multi'),
          spec: { containers: [{ name: 'a' }, { name: 'b' }] },
          status: {
            phase: 'Running',
            containerStatuses: [
              { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } },
              { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
            ],
          },
        },
        want: ['multi', '0/2', 'Signal:9', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
      {
        name: 'Completed with a container still running shows NotReady without PodReady',
        pod: {
          metadata: meta('half'),
          spec: { containers: [{ name: 'a' }, { name: 'b' }] },
          status: {
            phase: 'Running',
            containerStatuses: [
              { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
              { name: 'b', ...running },
            ],
          },
        },
        want: ['half', '1/2', 'NotReady', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => assert.deepEqual(row('', 'v1', 'pods', c.pod), c.want));
    }

    it('marks finished pods with a Completed row condition', () => {
      const conditions = rowConditionsFor(resource('', 'v1', 'pods'));
      assert.ok(conditions);
      assert.equal(conditions({ status: { phase: 'Succeeded' } })?.[0].reason, 'Succeeded');
      assert.equal(conditions({ status: { phase: 'Failed' } })?.[0].reason, 'Failed');
      assert.equal(conditions({ status: { phase: 'Running' } }), undefined);
      assert.equal(rowConditionsFor(resource('', 'v1', 'services')), undefined);
    });
  });

  describe('deployments', () => {
    const template = {
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx:1.27' },
          { name: 'sidecar', image: 'busybox' },
        ],
      },
    };
    it('renders Ready, integer counts, containers, images and the selector', () => {
      const obj = {
        metadata: meta('web'),
        spec: {
          replicas: 3,
          selector: {
            matchLabels: { app: 'web' },
            matchExpressions: [
              { key: 'tier', operator: 'In', values: ['front', 'back'] },
              { key: 'canary', operator: 'DoesNotExist' },
            ],
          },
          template,
        },
        status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
      };
      assert.deepEqual(row('apps', 'v1', 'deployments', obj), [
        'web',
        '2/3',
        3,
        2,
        '5m',
        'nginx,sidecar',
        'nginx:1.27,busybox',
        'app=web,!canary,tier in (back,front)',
      ]);
    });
    it('prints 0 for missing status counts, 1 for defaulted replicas and <invalid> for a bad selector', () => {
      const obj = { metadata: meta('bare'), spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, template } };
      assert.deepEqual(row('apps', 'v1', 'deployments', obj), [
        'bare',
        '0/1',
        0,
        0,
        '5m',
        'nginx,sidecar',
        'nginx:1.27,busybox',
        '<invalid>',
      ]);
    });
    it('replica sets print <none> for an empty selector', () => {
      const obj = { metadata: meta('rs'), spec: { replicas: 2, selector: {}, template }, status: { replicas: 2, readyReplicas: 1 } };
      assert.deepEqual(row('apps', 'v1', 'replicasets', obj), ['rs', 2, 2, 1, '5m', 'nginx,sidecar', 'nginx:1.27,busybox', '<none>']);
    });
  });

  describe('services', () => {
    const base = { metadata: meta('svc') };
    const cases: { name: string; obj: KubeObject; want: unknown[] }[] = [
      {
        name: 'ClusterIP',
        obj: {
          ...base,
          spec: {
            type: 'ClusterIP',
            clusterIP: '10.96.0.10',
            clusterIPs: ['10.96.0.10'],
            ports: [
              { port: 80, protocol: 'TCP' },
              { port: 53, protocol: 'UDP' },
            ],
            selector: { tier: 'web', app: 'x' },
          },
        },
        want: ['svc', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', '5m', 'app=x,tier=web'],
      },
      {
        name: 'NodePort with external IPs',
        obj: {
          ...base,
          spec: {
            type: 'NodePort',
            clusterIPs: ['10.96.0.11'],
            externalIPs: ['192.0.2.1', '192.0.2.2'],
            ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }],
          },
        },
        want: ['svc', 'NodePort', '10.96.0.11', '192.0.2.1,192.0.2.2', '80:30080/TCP', '5m', '<none>'],
      },
      {
        name: 'LoadBalancer ingress, de-duplicated and sorted, then external IPs',
        obj: {
          ...base,
          spec: {
            type: 'LoadBalancer',
            clusterIP: '10.96.0.12',
            externalIPs: ['192.0.2.9'],
            ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }],
          },
          status: {
            loadBalancer: {
              ingress: [{ ip: '203.0.113.2' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.1' }, { ip: '203.0.113.2' }],
            },
          },
        },
        want: ['svc', 'LoadBalancer', '10.96.0.12', '203.0.113.1,203.0.113.2,lb.example.com,192.0.2.9', '443:31443/TCP', '5m', '<none>'],
      },
      {
        name: 'LoadBalancer still pending',
        obj: { ...base, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.13', ports: [{ port: 80 }] }, status: { loadBalancer: {} } },
        want: ['svc', 'LoadBalancer', '10.96.0.13', '<pending>', '80/TCP', '5m', '<none>'],
      },
      {
        name: 'ExternalName',
        obj: { ...base, spec: { type: 'ExternalName', externalName: 'db.example.com' } },
        want: ['svc', 'ExternalName', '<none>', 'db.example.com', '<none>', '5m', '<none>'],
      },
      {
        name: 'headless',
        obj: { ...base, spec: { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] } },
        want: ['svc', 'ClusterIP', 'None', '<none>', '5432/TCP', '5m', '<none>'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => assert.deepEqual(row('', 'v1', 'services', c.obj), c.want));
    }
  });

  describe('core kinds', () => {
    it('configmaps count data and binaryData as an integer', () => {
      assert.deepEqual(row('', 'v1', 'configmaps', { metadata: meta('cm'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), [
        'cm',
        3,
        '5m',
      ]);
      assert.deepEqual(row('', 'v1', 'configmaps', { metadata: meta('empty') }), ['empty', 0, '5m']);
    });
    it('secrets print type and data count', () => {
      assert.deepEqual(
        row('', 'v1', 'secrets', { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }),
        ['tls', 'kubernetes.io/tls', 2, '5m'],
      );
      assert.deepEqual(row('', 'v1', 'secrets', { metadata: meta('s') }), ['s', 'Opaque', 0, '5m']);
    });
    it('namespaces print their phase', () => {
      assert.deepEqual(
        row('', 'v1', 'namespaces', { metadata: { name: 'ns', creationTimestamp: ago(3 * D) }, status: { phase: 'Active' } }),
        ['ns', 'Active', '3d'],
      );
      assert.deepEqual(row('', 'v1', 'namespaces', { metadata: { name: 'old' }, status: { phase: 'Terminating' } }), [
        'old',
        'Terminating',
        '<unknown>',
      ]);
    });
    it('serviceaccounts count secrets', () => {
      assert.deepEqual(row('', 'v1', 'serviceaccounts', { metadata: meta('default'), secrets: [{ name: 'a' }] }), ['default', 1, '5m']);
    });
    it('endpoints print the first three ip:port pairs', () => {
      const obj = {
        metadata: meta('ep'),
        subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: 'fd00::3' }, { ip: '10.0.0.4' }], ports: [{ port: 8080 }] }],
      };
      assert.deepEqual(row('', 'v1', 'endpoints', obj), ['ep', '10.0.0.1:8080,10.0.0.2:8080,[fd00::3]:8080 + 1 more...', '5m']);
      assert.deepEqual(row('', 'v1', 'endpoints', { metadata: meta('none') }), ['none', '<none>', '5m']);
    });
    it('resource quotas split requests and limits', () => {
      const obj = {
        metadata: meta('q'),
        status: { hard: { 'limits.cpu': '2', pods: '10', 'requests.memory': '1Gi' }, used: { pods: '3', 'limits.cpu': '500m' } },
      };
      assert.deepEqual(row('', 'v1', 'resourcequotas', obj), ['q', 'pods: 3/10, requests.memory: 0/1Gi', 'limits.cpu: 500m/2', '5m']);
    });
    it('limit ranges use the generic Name / Created At table', () => {
      assert.deepEqual(row('', 'v1', 'limitranges', { metadata: { name: 'lr', creationTimestamp: '2024-01-02T03:04:05Z' } }), [
        'lr',
        '2024-01-02T03:04:05Z',
      ]);
    });
  });

  describe('jobs', () => {
    const template = { spec: { containers: [{ name: 'pi', image: 'perl' }] } };
    const selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } };
    it('Complete with completions and a finished duration', () => {
      const obj = {
        metadata: meta('pi'),
        spec: { completions: 3, parallelism: 1, selector, template },
        status: {
          succeeded: 3,
          startTime: ago(4 * M),
          completionTime: ago(2 * M + 30 * S),
          conditions: [{ type: 'Complete', status: 'True' }],
        },
      };
      assert.deepEqual(row('batch', 'v1', 'jobs', obj), [
        'pi',
        'Complete',
        '3/3',
        '90s',
        '5m',
        'pi',
        'perl',
        'batch.kubernetes.io/controller-uid=abc',
      ]);
    });
    it('Running with parallelism and no completions counts time since start', () => {
      const obj = { metadata: meta('work'), spec: { parallelism: 2, selector, template }, status: { startTime: ago(3 * M), active: 2 } };
      assert.deepEqual(row('batch', 'v1', 'jobs', obj), [
        'work',
        'Running',
        '0/1 of 2',
        '3m',
        '5m',
        'pi',
        'perl',
        'batch.kubernetes.io/controller-uid=abc',
      ]);
    });
    it('Failed, Suspended and not started', () => {
      const failed = {
        metadata: meta('f'),
        spec: { template },
        status: {
          failed: 1,
          conditions: [
            { type: 'FailureTarget', status: 'True' },
            { type: 'Failed', status: 'True' },
          ],
        },
      };
      assert.deepEqual(row('batch', 'v1', 'jobs', failed).slice(0, 4), ['f', 'Failed', '0/1', '']);
      const suspended = {
        metadata: meta('s'),
        spec: { template, suspend: true },
        status: { conditions: [{ type: 'Suspended', status: 'True' }] },
      };
      assert.equal(row('batch', 'v1', 'jobs', suspended)[1], 'Suspended');
      const deleting = { metadata: meta('d', { deletionTimestamp: ago(S) }), spec: { template }, status: {} };
      assert.equal(row('batch', 'v1', 'jobs', deleting)[1], 'Terminating');
    });
    it('cron jobs print schedule, timezone, suspend, active and last schedule', () => {
      const obj = {
        metadata: meta('nightly'),
        spec: { schedule: '0 3 * * *', suspend: false, jobTemplate: { spec: { template } } },
        status: { active: [{ name: 'nightly-1' }], lastScheduleTime: ago(2 * H) },
      };
      assert.deepEqual(row('batch', 'v1', 'cronjobs', obj), [
        'nightly',
        '0 3 * * *',
        '<none>',
        'False',
        1,
        '120m',
        '5m',
        'pi',
        'perl',
        '<none>',
      ]);
    });
  });

  describe('events', () => {
    it('core/v1 events', () => {
      const obj = {
        metadata: meta('web.17a'),
        involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
        type: 'Warning',
        reason: 'BackOff',
        message: '  Back-off restarting failed container\n',
        source: { component: 'kubelet', host: 'node-1' },
        firstTimestamp: ago(10 * M),
        lastTimestamp: ago(30 * S),
        count: 7,
      };
      assert.deepEqual(row('', 'v1', 'events', obj), [
        '30s',
        'Warning',
        'BackOff',
        'pod/web',
        'spec.containers{app}',
        'kubelet, node-1',
        'Back-off restarting failed container',
        '10m',
        7,
        'web.17a',
      ]);
    });
    it('events without timestamps or count fall back to eventTime and 1', () => {
      const obj = {
        metadata: meta('e'),
        involvedObject: { kind: 'Node' },
        type: 'Normal',
        reason: 'Starting',
        eventTime: '2025-06-01T11:59:00.123456Z',
        reportingComponent: 'kube-proxy',
        reportingInstance: 'node-2',
      };
      assert.deepEqual(row('', 'v1', 'events', obj), ['59s', 'Normal', 'Starting', 'node', '', 'kube-proxy, node-2', '', '59s', 1, 'e']);
    });
    it('events.k8s.io/v1 events with a series', () => {
      const obj = {
        metadata: meta('s'),
        regarding: { kind: 'Deployment', name: 'web' },
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        note: 'Scaled up',
        reportingController: 'deployment-controller',
        eventTime: ago(20 * M),
        series: { count: 4, lastObservedTime: ago(2 * M) },
      };
      assert.deepEqual(row('events.k8s.io', 'v1', 'events', obj), [
        '2m',
        'Normal',
        'ScalingReplicaSet',
        'deployment/web',
        '',
        'deployment-controller',
        'Scaled up',
        '20m',
        4,
        's',
      ]);
    });
  });

  describe('nodes', () => {
    it('Ready,SchedulingDisabled with sorted roles and addresses', () => {
      const obj = {
        metadata: {
          name: 'node-1',
          creationTimestamp: ago(40 * D),
          labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/': '' },
        },
        spec: { unschedulable: true },
        status: {
          conditions: [
            { type: 'MemoryPressure', status: 'False' },
            { type: 'Ready', status: 'True' },
          ],
          addresses: [
            { type: 'Hostname', address: 'node-1' },
            { type: 'InternalIP', address: '172.18.0.2' },
          ],
          nodeInfo: {
            kubeletVersion: 'v1.34.0',
            osImage: 'Debian GNU/Linux 12',
            kernelVersion: '6.1.0',
            containerRuntimeVersion: 'containerd://1.7',
          },
        },
      };
      assert.deepEqual(row('', 'v1', 'nodes', obj), [
        'node-1',
        'Ready,SchedulingDisabled',
        'control-plane,master',
        '40d',
        'v1.34.0',
        '172.18.0.2',
        '<none>',
        'Debian GNU/Linux 12',
        '6.1.0',
        'containerd://1.7',
      ]);
    });
    it('NotReady and Unknown', () => {
      const notReady = { metadata: meta('n2'), status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } };
      assert.deepEqual(row('', 'v1', 'nodes', notReady).slice(1, 3), ['NotReady', '<none>']);
      const bare = { metadata: meta('n3') };
      assert.deepEqual(row('', 'v1', 'nodes', bare), [
        'n3',
        'Unknown',
        '<none>',
        '5m',
        '',
        '<none>',
        '<none>',
        '<unknown>',
        '<unknown>',
        '<unknown>',
      ]);
    });
  });

  describe('other kinds', () => {
    it('roles and cluster roles use Name / Created At', () => {
      const obj = { metadata: { name: 'reader', creationTimestamp: '2025-01-01T00:00:00Z' } };
      assert.deepEqual(row('rbac.authorization.k8s.io', 'v1', 'roles', obj), ['reader', '2025-01-01T00:00:00Z']);
      assert.deepEqual(row('rbac.authorization.k8s.io', 'v1', 'clusterroles', obj), ['reader', '2025-01-01T00:00:00Z']);
    });
    it('role bindings list users, groups and namespace/name service accounts', () => {
      const obj = {
        metadata: meta('rb'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [
          { kind: 'User', name: 'alice' },
          { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
          { kind: 'Group', name: 'devs' },
          { kind: 'User', name: 'bob' },
        ],
      };
      assert.deepEqual(row('rbac.authorization.k8s.io', 'v1', 'rolebindings', obj), [
        'rb',
        'ClusterRole/view',
        '5m',
        'alice, bob',
        'devs',
        'ci/builder',
      ]);
    });
    it('horizontal pod autoscalers, v2 metrics and the v1 CPU target', () => {
      const v2 = {
        metadata: meta('hpa'),
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          minReplicas: 2,
          maxReplicas: 10,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
            { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '100' } } },
            { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } },
          ],
        },
        status: {
          currentReplicas: 3,
          currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45 } } }],
        },
      };
      assert.deepEqual(row('autoscaling', 'v2', 'horizontalpodautoscalers', v2), [
        'hpa',
        'Deployment/web',
        'cpu: 45%/60%, <unknown>/100 + 1 more...',
        '2',
        10,
        3,
        '5m',
      ]);
      const v1 = {
        metadata: meta('old'),
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 4, targetCPUUtilizationPercentage: 70 },
        status: { currentReplicas: 1 },
      };
      assert.deepEqual(row('autoscaling', 'v1', 'horizontalpodautoscalers', v1), [
        'old',
        'Deployment/api',
        'cpu: <unknown>/70%',
        '1',
        4,
        1,
        '5m',
      ]);
    });
    it('ingresses, storage classes, PDBs, leases, priority classes and endpoint slices', () => {
      const ing = {
        metadata: meta('ing'),
        spec: {
          ingressClassName: 'nginx',
          rules: [{ host: 'a.example.com' }, {}, { host: 'b.example.com' }, { host: 'c.example.com' }, { host: 'd.example.com' }],
          tls: [{ hosts: ['a.example.com'] }],
        },
        status: { loadBalancer: { ingress: [{ ip: '198.51.100.7' }] } },
      };
      assert.deepEqual(row('networking.k8s.io', 'v1', 'ingresses', ing), [
        'ing',
        'nginx',
        'a.example.com,b.example.com,c.example.com + 2 more...',
        '198.51.100.7',
        '80, 443',
        '5m',
      ]);
      const sc = {
        metadata: meta('standard', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
        provisioner: 'rancher.io/local-path',
        volumeBindingMode: 'WaitForFirstConsumer',
      };
      assert.deepEqual(row('storage.k8s.io', 'v1', 'storageclasses', sc), [
        'standard (default)',
        'rancher.io/local-path',
        'Delete',
        'WaitForFirstConsumer',
        false,
        '5m',
      ]);
      const pdb = { metadata: meta('pdb'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } };
      assert.deepEqual(row('policy', 'v1', 'poddisruptionbudgets', pdb), ['pdb', '50%', 'N/A', 1, '5m']);
      assert.deepEqual(row('coordination.k8s.io', 'v1', 'leases', { metadata: meta('l'), spec: { holderIdentity: 'kgate-1' } }), [
        'l',
        'kgate-1',
        '5m',
      ]);
      assert.deepEqual(row('scheduling.k8s.io', 'v1', 'priorityclasses', { metadata: meta('high'), value: 1000, globalDefault: true }), [
        'high',
        1000,
        true,
        '5m',
        'PreemptLowerPriority',
      ]);
      const slice = {
        metadata: meta('web-abc'),
        addressType: 'IPv4',
        ports: [{ port: 80 }, { name: 'metrics' }],
        endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3', '10.0.0.4'] }],
      };
      assert.deepEqual(row('discovery.k8s.io', 'v1', 'endpointslices', slice), [
        'web-abc',
        'IPv4',
        '80,metrics',
        '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...',
        '5m',
      ]);
      assert.deepEqual(row('discovery.k8s.io', 'v1', 'endpointslices', { metadata: meta('empty'), addressType: 'IPv4' }), [
        'empty',
        'IPv4',
        '<unset>',
        '<unset>',
        '5m',
      ]);
    });
  });

  describe('fallback', () => {
    it('fills Name, Age and dates from metadata when no printer matches the columns', () => {
      const fake: ResourceInfo = {
        ...resource('', 'v1', 'configmaps'),
        resource: 'widgets',
        columns: [
          { name: 'Name', type: 'string', format: 'name', priority: 0, description: '' },
          { name: 'Size', type: 'string', format: '', priority: 0, description: '' },
          { name: 'Age', type: 'date', format: '', priority: 0, description: '' },
          { name: 'Created At', type: 'date', format: '', priority: 0, description: '' },
        ],
      };
      const obj = { metadata: { name: 'w', creationTimestamp: ago(2 * H) } };
      assert.deepEqual(cellsFor(fake, printerFor(fake.group, fake.resource))(obj, NOW), ['w', '', '120m', ago(2 * H)]);
    });
    it('does not trust a printer whose columns drifted from the scheme', () => {
      const drifted: ResourceInfo = { ...resource('', 'v1', 'secrets'), columns: resource('', 'v1', 'secrets').columns.slice(0, 2) };
      assert.deepEqual(cellsFor(drifted, printerFor(drifted.group, drifted.resource))({ metadata: { name: 's' }, type: 'Opaque' }, NOW), [
        's',
        '',
      ]);
    });
  });
});
