import assert from 'node:assert/strict';
import { builtinScheme } from '../../src/scheme/index.js';
import type { ResourceInfo } from '../../src/scheme/types.js';
import { strategyDefinition, strategyFor } from '../../src/registry/strategies/index.js';
import { defaultPullPolicy, parseImageReference } from '../../src/registry/defaults/image.js';
import type { KubeObject } from '../../src/storage/interface.js';

/** Objects in and out of the defaulter: a JSON boundary. */
type Json = any;

const scheme = builtinScheme();

function resource(groupVersion: string, plural: string): ResourceInfo {
  const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
  const info = scheme.lookup(group, version, plural);
  assert.ok(info, `${groupVersion} ${plural} is served`);
  return info;
}

function defaulted(groupVersion: string, plural: string, obj: Json): Json {
  const copy: KubeObject = structuredClone(obj);
  strategyFor(resource(groupVersion, plural), { eventTTLSeconds: 0 }).defaults(copy);
  return copy;
}

/** The PodSpec defaults every pod template gets, around the given containers. */
function templateSpec(containers: Json[], extra: Json = {}): Json {
  return {
    containers,
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    ...extra,
  };
}

const nginxIn = { name: 'web', image: 'nginx:1.27' };
const nginxOut = {
  name: 'web',
  image: 'nginx:1.27',
  imagePullPolicy: 'IfNotPresent',
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};

interface Case {
  name: string;
  gv: string;
  plural: string;
  input: Json;
  expected: Json;
}

const cases: Case[] = [
  {
    name: 'pod: PodSpec, container, Pod-only defaults',
    gv: 'v1',
    plural: 'pods',
    input: {
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'nginx',
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '100m' } },
            env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
            livenessProbe: { httpGet: { port: 8080 } },
            readinessProbe: { grpc: { port: 9000 }, periodSeconds: 5 },
            lifecycle: { preStop: { httpGet: { port: 80, path: '/quit' } } },
          },
        ],
      },
    },
    expected: {
      metadata: { name: 'p' },
      spec: templateSpec(
        [
          {
            name: 'c',
            image: 'nginx',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '100m', memory: '1Gi' } },
            env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }],
            livenessProbe: {
              httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
            readinessProbe: {
              grpc: { port: 9000, service: '' },
              timeoutSeconds: 1,
              periodSeconds: 5,
              successThreshold: 1,
              failureThreshold: 3,
            },
            lifecycle: { preStop: { httpGet: { port: 80, path: '/quit', scheme: 'HTTP' } } },
            imagePullPolicy: 'Always',
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
        { enableServiceLinks: true },
      ),
    },
  },
  {
    name: 'pod: hostNetwork copies containerPort into hostPort',
    gv: 'v1',
    plural: 'pods',
    input: { spec: { hostNetwork: true, containers: [{ name: 'c', image: 'a:1', ports: [{ containerPort: 53, protocol: 'UDP' }] }] } },
    expected: {
      spec: templateSpec(
        [
          {
            name: 'c',
            image: 'a:1',
            ports: [{ containerPort: 53, protocol: 'UDP', hostPort: 53 }],
            imagePullPolicy: 'IfNotPresent',
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
        { hostNetwork: true, enableServiceLinks: true },
      ),
    },
  },
  {
    name: 'pod: pod-level limits without container requests become pod-level requests',
    gv: 'v1',
    plural: 'pods',
    input: { spec: { resources: { limits: { cpu: '1' } }, containers: [nginxIn] } },
    expected: {
      spec: templateSpec([nginxOut], { resources: { limits: { cpu: '1' }, requests: { cpu: '1' } }, enableServiceLinks: true }),
    },
  },
  {
    name: 'pod: volumes',
    gv: 'v1',
    plural: 'pods',
    input: {
      spec: {
        containers: [nginxIn],
        volumes: [
          { name: 'scratch' },
          { name: 's', secret: { secretName: 'x' } },
          { name: 'cm', configMap: { name: 'x', defaultMode: 0o400 } },
          { name: 'd', downwardAPI: { items: [{ path: 'l', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } },
          { name: 'h', hostPath: { path: '/var' } },
          { name: 'e', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
          { name: 'r', rbd: { monitors: ['m'], image: 'i' } },
        ],
      },
    },
    expected: {
      spec: templateSpec([nginxOut], {
        enableServiceLinks: true,
        volumes: [
          { name: 'scratch', emptyDir: {} },
          { name: 's', secret: { secretName: 'x', defaultMode: 420 } },
          { name: 'cm', configMap: { name: 'x', defaultMode: 0o400 } },
          {
            name: 'd',
            downwardAPI: { defaultMode: 420, items: [{ path: 'l', fieldRef: { fieldPath: 'metadata.labels', apiVersion: 'v1' } }] },
          },
          { name: 'p', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }] } },
          { name: 'h', hostPath: { path: '/var', type: '' } },
          { name: 'e', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' } } } },
          { name: 'r', rbd: { monitors: ['m'], image: 'i', pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' } },
        ],
      }),
    },
  },
  {
    name: 'podtemplate: PodSpec defaults without the Pod-only ones',
    gv: 'v1',
    plural: 'podtemplates',
    input: { template: { spec: { containers: [{ ...nginxIn, resources: { limits: { cpu: '1' } } }] } } },
    expected: { template: { spec: templateSpec([{ ...nginxOut, resources: { limits: { cpu: '1' } } }]) } },
  },
  {
    name: 'replicationcontroller: selector and labels from the template',
    gv: 'v1',
    plural: 'replicationcontrollers',
    input: { metadata: { name: 'rc' }, spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [nginxIn] } } } },
    expected: {
      metadata: { name: 'rc', labels: { app: 'a' } },
      spec: { selector: { app: 'a' }, replicas: 1, template: { metadata: { labels: { app: 'a' } }, spec: templateSpec([nginxOut]) } },
    },
  },
  {
    name: 'service: ClusterIP',
    gv: 'v1',
    plural: 'services',
    input: { spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] } },
    expected: {
      spec: {
        ports: [
          { port: 80, protocol: 'TCP', targetPort: 80 },
          { port: 53, protocol: 'UDP', targetPort: 'dns' },
        ],
        sessionAffinity: 'None',
        type: 'ClusterIP',
        internalTrafficPolicy: 'Cluster',
      },
    },
  },
  {
    name: 'service: LoadBalancer with ClientIP affinity',
    gv: 'v1',
    plural: 'services',
    input: {
      spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 443, targetPort: 0 }] },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb.example' }] } },
    },
    expected: {
      spec: {
        type: 'LoadBalancer',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
        ports: [{ port: 443, targetPort: 443, protocol: 'TCP' }],
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
        allocateLoadBalancerNodePorts: true,
      },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'VIP' }, { hostname: 'lb.example' }] } },
    },
  },
  {
    name: 'service: ClusterIP with externalIPs is externally accessible; None affinity drops its config',
    gv: 'v1',
    plural: 'services',
    input: { spec: { externalIPs: ['10.0.0.9'], sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } } },
    expected: {
      spec: {
        externalIPs: ['10.0.0.9'],
        sessionAffinity: 'None',
        type: 'ClusterIP',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
      },
    },
  },
  {
    name: 'service: ExternalName gets no traffic policies',
    gv: 'v1',
    plural: 'services',
    input: { spec: { type: 'ExternalName', externalName: 'example.com' } },
    expected: { spec: { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' } },
  },
  {
    name: 'endpoints: port protocol',
    gv: 'v1',
    plural: 'endpoints',
    input: { subsets: [{ ports: [{ port: 80 }] }] },
    expected: { subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }] },
  },
  { name: 'secret: Opaque', gv: 'v1', plural: 'secrets', input: { data: {} }, expected: { data: {}, type: 'Opaque' } },
  {
    name: 'namespace: name label and Active',
    gv: 'v1',
    plural: 'namespaces',
    input: { metadata: { name: 'ns', labels: { team: 'x' } } },
    expected: { metadata: { name: 'ns', labels: { team: 'x', 'kubernetes.io/metadata.name': 'ns' } }, status: { phase: 'Active' } },
  },
  {
    name: 'node: allocatable from capacity',
    gv: 'v1',
    plural: 'nodes',
    input: { status: { capacity: { cpu: '4', pods: '110' } } },
    expected: { status: { capacity: { cpu: '4', pods: '110' }, allocatable: { cpu: '4', pods: '110' } } },
  },
  {
    name: 'persistentvolume',
    gv: 'v1',
    plural: 'persistentvolumes',
    input: { spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/data' } } },
    expected: {
      spec: {
        capacity: { storage: '1Gi' },
        hostPath: { path: '/data', type: '' },
        persistentVolumeReclaimPolicy: 'Retain',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Pending' },
    },
  },
  {
    name: 'persistentvolumeclaim',
    gv: 'v1',
    plural: 'persistentvolumeclaims',
    input: { spec: { accessModes: ['ReadWriteOnce'] } },
    expected: { spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }, status: { phase: 'Pending' } },
  },
  {
    name: 'limitrange: default from max, defaultRequest from default then min',
    gv: 'v1',
    plural: 'limitranges',
    input: {
      spec: {
        limits: [
          { type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } },
          { type: 'Pod', max: { cpu: '4' } },
        ],
      },
    },
    expected: {
      spec: {
        limits: [
          {
            type: 'Container',
            max: { cpu: '2' },
            min: { memory: '64Mi' },
            default: { cpu: '2' },
            defaultRequest: { cpu: '2', memory: '64Mi' },
          },
          { type: 'Pod', max: { cpu: '4' } },
        ],
      },
    },
  },
  {
    name: 'deployment',
    gv: 'apps/v1',
    plural: 'deployments',
    input: {
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [nginxIn] } } },
    },
    expected: {
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: { metadata: { labels: { app: 'a' } }, spec: templateSpec([nginxOut]) },
        replicas: 1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    },
  },
  {
    name: 'deployment: Recreate gets no rollingUpdate',
    gv: 'apps/v1',
    plural: 'deployments',
    input: { spec: { replicas: 0, strategy: { type: 'Recreate' } } },
    expected: { spec: { replicas: 0, strategy: { type: 'Recreate' }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 } },
  },
  {
    name: 'replicaset',
    gv: 'apps/v1',
    plural: 'replicasets',
    input: { spec: { template: { spec: { containers: [nginxIn] } } } },
    expected: { spec: { replicas: 1, template: { spec: templateSpec([nginxOut]) } } },
  },
  {
    name: 'statefulset: strategy, retention policy and claim templates',
    gv: 'apps/v1',
    plural: 'statefulsets',
    input: {
      spec: {
        template: { spec: { containers: [nginxIn] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }],
      },
    },
    expected: {
      spec: {
        template: { spec: templateSpec([nginxOut]) },
        volumeClaimTemplates: [
          {
            // The v1 conversion writes every claim template with its type.
            kind: 'PersistentVolumeClaim',
            apiVersion: 'v1',
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' },
            status: { phase: 'Pending' },
          },
        ],
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        replicas: 1,
        revisionHistoryLimit: 10,
      },
    },
  },
  {
    name: 'statefulset: OnDelete gets no partition',
    gv: 'apps/v1',
    plural: 'statefulsets',
    input: { spec: { updateStrategy: { type: 'OnDelete' } } },
    expected: {
      spec: {
        updateStrategy: { type: 'OnDelete' },
        podManagementPolicy: 'OrderedReady',
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        replicas: 1,
        revisionHistoryLimit: 10,
      },
    },
  },
  {
    name: 'daemonset: integer maxUnavailable/maxSurge',
    gv: 'apps/v1',
    plural: 'daemonsets',
    input: { spec: { template: { spec: { containers: [nginxIn] } } } },
    expected: {
      spec: {
        template: { spec: templateSpec([nginxOut]) },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      },
    },
  },
  {
    name: 'job: completions and parallelism both 1, labels from template',
    gv: 'batch/v1',
    plural: 'jobs',
    input: {
      metadata: { name: 'j' },
      spec: { template: { metadata: { labels: { app: 'j' } }, spec: { restartPolicy: 'Never', containers: [nginxIn] } } },
    },
    expected: {
      metadata: { name: 'j', labels: { app: 'j' } },
      spec: {
        template: { metadata: { labels: { app: 'j' } }, spec: templateSpec([nginxOut], { restartPolicy: 'Never' }) },
        completions: 1,
        parallelism: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
        manualSelector: false,
      },
    },
  },
  {
    name: 'job: completions set leaves parallelism 1 only; per-index backoff; pod failure policy',
    gv: 'batch/v1',
    plural: 'jobs',
    input: {
      spec: {
        completions: 5,
        completionMode: 'Indexed',
        backoffLimitPerIndex: 1,
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      },
    },
    expected: {
      spec: {
        completions: 5,
        completionMode: 'Indexed',
        backoffLimitPerIndex: 1,
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
        parallelism: 1,
        backoffLimit: 2147483647,
        suspend: false,
        podReplacementPolicy: 'Failed',
        manualSelector: false,
      },
    },
  },
  {
    name: 'cronjob: CronJob defaults and the job template PodSpec, not Job defaults',
    gv: 'batch/v1',
    plural: 'cronjobs',
    input: {
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [nginxIn] } } } } },
    },
    expected: {
      spec: {
        schedule: '* * * * *',
        jobTemplate: { spec: { template: { spec: templateSpec([nginxOut], { restartPolicy: 'OnFailure' }) } } },
        concurrencyPolicy: 'Allow',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      },
    },
  },
  {
    name: 'hpa v2: minReplicas, CPU metric, behavior when present',
    gv: 'autoscaling/v2',
    plural: 'horizontalpodautoscalers',
    input: { spec: { maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } },
    expected: {
      spec: {
        maxReplicas: 5,
        minReplicas: 1,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              { type: 'Pods', value: 4, periodSeconds: 15 },
              { type: 'Percent', value: 100, periodSeconds: 15 },
            ],
          },
          scaleDown: {
            stabilizationWindowSeconds: 60,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
          },
        },
      },
    },
  },
  {
    name: 'hpa v2: no behavior stays without behavior',
    gv: 'autoscaling/v2',
    plural: 'horizontalpodautoscalers',
    input: {
      spec: {
        maxReplicas: 3,
        metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }],
      },
    },
    expected: {
      spec: {
        maxReplicas: 3,
        minReplicas: 1,
        metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }],
      },
    },
  },
  {
    name: 'hpa v1: minReplicas and the implied CPU target',
    gv: 'autoscaling/v1',
    plural: 'horizontalpodautoscalers',
    input: { spec: { maxReplicas: 3 } },
    expected: { spec: { maxReplicas: 3, minReplicas: 1, targetCPUUtilizationPercentage: 80 } },
  },
  {
    name: 'rolebinding: roleRef and subject apiGroups',
    gv: 'rbac.authorization.k8s.io/v1',
    plural: 'rolebindings',
    input: {
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'User', name: 'u' },
        { kind: 'Group', name: 'g' },
        { kind: 'ServiceAccount', name: 'sa', namespace: 'n' },
      ],
    },
    expected: {
      roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [
        { kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'Group', name: 'g', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'ServiceAccount', name: 'sa', namespace: 'n' },
      ],
    },
  },
  {
    name: 'clusterrolebinding: roleRef apiGroup',
    gv: 'rbac.authorization.k8s.io/v1',
    plural: 'clusterrolebindings',
    input: { roleRef: { kind: 'ClusterRole', name: 'r' } },
    expected: { roleRef: { kind: 'ClusterRole', name: 'r', apiGroup: 'rbac.authorization.k8s.io' } },
  },
  {
    name: 'networkpolicy: port protocol, policyTypes with egress',
    gv: 'networking.k8s.io/v1',
    plural: 'networkpolicies',
    input: { spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] } },
    expected: {
      spec: {
        podSelector: {},
        ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }],
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
        policyTypes: ['Ingress', 'Egress'],
      },
    },
  },
  {
    name: 'networkpolicy: ingress only',
    gv: 'networking.k8s.io/v1',
    plural: 'networkpolicies',
    input: { spec: { podSelector: {} } },
    expected: { spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  },
  {
    name: 'ingressclass: parameters scope',
    gv: 'networking.k8s.io/v1',
    plural: 'ingressclasses',
    input: { spec: { controller: 'x/y', parameters: { kind: 'K', name: 'n' } } },
    expected: { spec: { controller: 'x/y', parameters: { kind: 'K', name: 'n', scope: 'Cluster' } } },
  },
  {
    name: 'storageclass',
    gv: 'storage.k8s.io/v1',
    plural: 'storageclasses',
    input: { provisioner: 'p' },
    expected: { provisioner: 'p', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
  },
  {
    name: 'priorityclass',
    gv: 'scheduling.k8s.io/v1',
    plural: 'priorityclasses',
    input: { value: 1000 },
    expected: { value: 1000, preemptionPolicy: 'PreemptLowerPriority' },
  },
  {
    name: 'endpointslice: port name and protocol',
    gv: 'discovery.k8s.io/v1',
    plural: 'endpointslices',
    input: { addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] },
    expected: { addressType: 'IPv4', endpoints: [], ports: [{ port: 80, name: '', protocol: 'TCP' }] },
  },
  {
    name: 'configmap: no defaults',
    gv: 'v1',
    plural: 'configmaps',
    input: { data: { a: 'b' } },
    expected: { data: { a: 'b' } },
  },
];

describe('applyDefaults', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(defaulted(c.gv, c.plural, c.input), c.expected);
    });
  }

  it('is idempotent: defaulting a defaulted object changes nothing', () => {
    for (const c of cases) assert.deepEqual(defaulted(c.gv, c.plural, c.expected), c.expected, c.name);
  });

  it('never overwrites values the user set', () => {
    const pod = {
      spec: {
        dnsPolicy: 'Default',
        restartPolicy: 'Never',
        securityContext: { runAsUser: 1 },
        terminationGracePeriodSeconds: 0,
        schedulerName: 'mine',
        enableServiceLinks: false,
        hostNetwork: true,
        containers: [
          {
            name: 'c',
            image: 'nginx',
            imagePullPolicy: 'Never',
            terminationMessagePath: '/x',
            terminationMessagePolicy: 'FallbackToLogsOnError',
            ports: [{ containerPort: 80, hostPort: 8080, protocol: 'SCTP' }],
            resources: { limits: { cpu: '1' }, requests: { cpu: '0' } },
            livenessProbe: { exec: { command: ['true'] }, timeoutSeconds: 7, periodSeconds: 7, successThreshold: 1, failureThreshold: 7 },
          },
        ],
        volumes: [{ name: 's', secret: { secretName: 's', defaultMode: 0 } }],
      },
    };
    assert.deepEqual(defaulted('v1', 'pods', pod), pod);

    const deployment = {
      spec: {
        replicas: 0,
        revisionHistoryLimit: 0,
        progressDeadlineSeconds: 30,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '50%' } },
      },
    };
    assert.deepEqual(defaulted('apps/v1', 'deployments', deployment), deployment);

    const service = {
      spec: {
        type: 'NodePort',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
        externalTrafficPolicy: 'Local',
        internalTrafficPolicy: 'Local',
        ports: [{ port: 80, targetPort: 8080, protocol: 'UDP' }],
      },
    };
    assert.deepEqual(defaulted('v1', 'services', service), service);

    const job = {
      metadata: { labels: { mine: 'yes' } },
      spec: {
        completions: 2,
        parallelism: 0,
        backoffLimit: 0,
        completionMode: 'Indexed',
        suspend: true,
        podReplacementPolicy: 'Failed',
        manualSelector: true,
        template: { metadata: { labels: { app: 'j' } } },
      },
    };
    const jobOut = defaulted('batch/v1', 'jobs', job);
    assert.deepEqual(jobOut.metadata, job.metadata);
    assert.deepEqual({ ...jobOut.spec, template: undefined }, { ...job.spec, template: undefined });

    const rc = {
      metadata: { labels: { own: 'x' } },
      spec: { replicas: 0, selector: { own: 'x' }, template: { metadata: { labels: { app: 'a' } } } },
    };
    const rcOut = defaulted('v1', 'replicationcontrollers', rc);
    assert.deepEqual(rcOut.metadata, rc.metadata);
    assert.deepEqual(rcOut.spec.selector, { own: 'x' });
    assert.equal(rcOut.spec.replicas, 0);

    const hpa = { spec: { minReplicas: 0, maxReplicas: 2, targetCPUUtilizationPercentage: 50 } };
    assert.deepEqual(defaulted('autoscaling/v1', 'horizontalpodautoscalers', hpa), hpa);

    const storageClass = { provisioner: 'p', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' };
    assert.deepEqual(defaulted('storage.k8s.io/v1', 'storageclasses', storageClass), storageClass);
  });

  it('does not share the template labels object with the copies it makes', () => {
    const job = defaulted('batch/v1', 'jobs', { spec: { template: { metadata: { labels: { app: 'j' } } } } });
    job.metadata.labels.extra = '1';
    assert.deepEqual(job.spec.template.metadata.labels, { app: 'j' });
  });

  it('round-trips what the v1 conversion changes: serviceAccount mirrors serviceAccountName, stringData joins data', () => {
    const legacy = defaulted('v1', 'pods', { spec: { serviceAccount: 'old', containers: [nginxIn] } });
    assert.deepEqual([legacy.spec.serviceAccountName, legacy.spec.serviceAccount], ['old', 'old']);
    const both = defaulted('apps/v1', 'deployments', {
      spec: { template: { spec: { serviceAccountName: 'new', serviceAccount: 'old' } } },
    });
    assert.deepEqual([both.spec.template.spec.serviceAccountName, both.spec.template.spec.serviceAccount], ['new', 'new']);
    const none = defaulted('v1', 'pods', { spec: { serviceAccount: '', containers: [nginxIn] } });
    assert.equal('serviceAccount' in none.spec, false);
    const secret = defaulted('v1', 'secrets', { data: { a: 'eA==', b: 'eA==' }, stringData: { b: 'y' } });
    assert.deepEqual(secret, { data: { a: 'eA==', b: 'eQ==' }, type: 'Opaque' });
  });

  it('rounds every core/v1 ResourceList quantity up to milli scale and writes it canonically (SetDefaults_ResourceList)', () => {
    const quota = defaulted('v1', 'resourcequotas', { spec: { hard: { cpu: '0.1m', memory: '1024Ki', pods: '1e3', x: '-0.0015' } } });
    assert.deepEqual(quota.spec.hard, { cpu: '1m', memory: '1Mi', pods: '1e3', x: '-2m' });
    const pvc = defaulted('v1', 'persistentvolumeclaims', { spec: { resources: { requests: { storage: '0.5Gi' } } } });
    assert.equal(pvc.spec.resources.requests.storage, '512Mi');
    const deploy = defaulted('apps/v1', 'deployments', {
      spec: { template: { spec: { containers: [{ ...nginxIn, resources: { limits: { cpu: 0.5 } } }] } } },
    });
    assert.deepEqual(deploy.spec.template.spec.containers[0].resources, { limits: { cpu: '500m' } });
  });

  it('leaves a nameless namespace (generateName) without the name label', () => {
    assert.deepEqual(defaulted('v1', 'namespaces', { metadata: { generateName: 'ns-' } }), {
      metadata: { generateName: 'ns-' },
      status: { phase: 'Active' },
    });
  });

  it('declares defaults in the strategy literal of the kinds that have them', () => {
    assert.notEqual(strategyDefinition('', 'pods')?.defaults, undefined);
    assert.equal(strategyDefinition('', 'configmaps')?.defaults, undefined);
  });
});

describe('imagePullPolicy from the image reference', () => {
  const table: Array<[string, string]> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry.example.com:5000/team/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    [`nginx@sha256:${'a'.repeat(10)}`, 'IfNotPresent'],
    ['Nginx', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ];
  for (const [image, policy] of table) {
    it(`${image || '(empty)'} → ${policy}`, () => assert.equal(defaultPullPolicy(image), policy));
  }

  it('splits tag and digest', () => {
    assert.deepEqual(parseImageReference('quay.io/a/b:1.0'), { tag: '1.0', digest: '' });
    assert.deepEqual(parseImageReference(`b@sha256:${'f'.repeat(64)}`), { tag: '', digest: `sha256:${'f'.repeat(64)}` });
    assert.equal(parseImageReference('a'.repeat(64)), undefined);
  });
});
