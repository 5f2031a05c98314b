// Valid seed objects, one or more per served kind, for the generated-invalid-object differential suite (issue 10):
// generic-mutations.ts breaks their fields and mutations.test.ts sends the results to kgate and to kube-apiserver.
// Each seed must be accepted by kube-apiserver v1.34.4 as written (the suite checks that when it creates one
// before an update), and fills in the fields a real client sends so that many validation rules have a field to
// break. They follow the v1 API shapes of k8s.io/api (core/v1, apps/v1, batch/v1, ...).

export type Area = 'apps' | 'pod' | 'core' | 'groups';

export interface Seed {
  /** The kind, with its version where two are served (HorizontalPodAutoscaler v1 and v2). */
  kind: string;
  /** Which notes file (/work/notes/diff-<area>.md) a difference in this kind goes to, template fields aside. */
  area: Area;
  namespaced: boolean;
  /** The collection path, given the namespace for namespaced kinds. */
  collection(ns: string): string;
  /** The object; metadata.name is NAME and the generator replaces it unless a mutation changed it. */
  body(ns: string): Record<string, any>;
}

export const NAME = '@name';

const container = (name = 'c') => ({
  name,
  image: 'nginx:1.27',
  imagePullPolicy: 'IfNotPresent',
  command: ['/bin/sh', '-c'],
  args: ['sleep 1000'],
  workingDir: '/work',
  ports: [
    { containerPort: 80, name: 'http', protocol: 'TCP' },
    { containerPort: 9000, hostPort: 9000, protocol: 'UDP' },
  ],
  env: [
    { name: 'A', value: 'b' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'CPU', valueFrom: { resourceFieldRef: { containerName: name, resource: 'limits.cpu', divisor: '1m' } } },
    { name: 'K', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: true } } },
    { name: 'S', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } },
  ],
  envFrom: [{ prefix: 'P_', configMapRef: { name: 'cm' } }, { secretRef: { name: 'sec', optional: true } }],
  resources: {
    requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '1Gi' },
    limits: { cpu: '200m', memory: '128Mi', 'hugepages-2Mi': '2Mi' },
  },
  volumeMounts: [
    { name: 'v', mountPath: '/v' },
    { name: 'cfg', mountPath: '/cfg', readOnly: true, subPath: 'x' },
  ],
  volumeDevices: [],
  livenessProbe: {
    httpGet: { path: '/healthz', port: 80, scheme: 'HTTP', httpHeaders: [{ name: 'X-A', value: 'b' }] },
    initialDelaySeconds: 1,
    periodSeconds: 10,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
    terminationGracePeriodSeconds: 10,
  },
  readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5, successThreshold: 2 },
  startupProbe: { grpc: { port: 9000, service: 'health' }, failureThreshold: 30 },
  lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 1'] } }, postStart: { sleep: { seconds: 1 } } },
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  securityContext: {
    runAsUser: 1000,
    runAsGroup: 1000,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  stdin: false,
  tty: false,
});

/** A pod spec that sets most fields, so most of ValidatePodSpec has a field to break. */
export const podSpec = (restartPolicy = 'Always') => ({
  initContainers: [{ name: 'init', image: 'busybox', command: ['true'], restartPolicy: 'Always' }],
  containers: [container()],
  volumes: [
    { name: 'v', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    { name: 'cfg', configMap: { name: 'cm', items: [{ key: 'k', path: 'x', mode: 420 }], defaultMode: 420, optional: true } },
    { name: 'sec', secret: { secretName: 'sec', defaultMode: 256 } },
    {
      name: 'proj',
      projected: {
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600, audience: 'api' } },
          { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        ],
      },
    },
    { name: 'claim', persistentVolumeClaim: { claimName: 'pvc', readOnly: true } },
    { name: 'host', hostPath: { path: '/tmp/x', type: 'DirectoryOrCreate' } },
  ],
  restartPolicy,
  terminationGracePeriodSeconds: 30,
  ...(restartPolicy === 'Always' ? {} : { activeDeadlineSeconds: 600 }),
  dnsPolicy: 'ClusterFirst',
  dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.example.com'], options: [{ name: 'ndots', value: '2' }] },
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  serviceAccountName: 'default',
  automountServiceAccountToken: false,
  hostname: 'h',
  subdomain: 'sub',
  hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local'] }],
  securityContext: {
    runAsUser: 1000,
    fsGroup: 2000,
    fsGroupChangePolicy: 'OnRootMismatch',
    supplementalGroups: [3000],
    sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }],
  },
  imagePullSecrets: [{ name: 'regcred' }],
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
      ],
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'a' } }, topologyKey: 'kubernetes.io/hostname' } },
      ],
    },
  },
  tolerations: [
    { key: 'k', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ],
  topologySpreadConstraints: [
    { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'a' } } },
  ],
  readinessGates: [{ conditionType: 'example.com/ready' }],
  schedulerName: 'default-scheduler',
  enableServiceLinks: true,
  preemptionPolicy: 'PreemptLowerPriority',
});

/** Another pod spec: host networking, inline and ephemeral volumes, resize policies, scheduling gates. */
export const podSpec2 = () => ({
  containers: [
    {
      name: 'main',
      image: 'busybox',
      command: ['sleep', '3600'],
      ports: [{ containerPort: 8080, name: 'web' }],
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
      resizePolicy: [
        { resourceName: 'cpu', restartPolicy: 'NotRequired' },
        { resourceName: 'memory', restartPolicy: 'RestartContainer' },
      ],
      volumeMounts: [
        { name: 'scratch', mountPath: '/scratch' },
        { name: 'info', mountPath: '/etc/info', readOnly: true },
        { name: 'inline', mountPath: '/inline', mountPropagation: 'HostToContainer' },
      ],
      volumeDevices: [{ name: 'block', devicePath: '/dev/xvda' }],
      env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      stdin: true,
      stdinOnce: true,
      tty: true,
    },
    { name: 'side', image: 'busybox', command: ['true'], resources: { requests: { cpu: '10m' } } },
  ],
  volumes: [
    {
      name: 'scratch',
      ephemeral: {
        volumeClaimTemplate: {
          metadata: { labels: { a: 'b' } },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast' },
        },
      },
    },
    {
      name: 'info',
      downwardAPI: {
        items: [
          { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
          { path: 'cpu', resourceFieldRef: { containerName: 'main', resource: 'requests.cpu', divisor: '1m' } },
        ],
        defaultMode: 292,
      },
    },
    { name: 'inline', csi: { driver: 'inline.csi.example.com', readOnly: true, volumeAttributes: { size: '1Gi' } } },
    { name: 'block', persistentVolumeClaim: { claimName: 'block-claim' } },
    { name: 'share', nfs: { server: 'nfs.example.com', path: '/share', readOnly: true } },
  ],
  restartPolicy: 'OnFailure',
  hostNetwork: true,
  hostPID: false,
  hostIPC: false,
  dnsPolicy: 'ClusterFirstWithHostNet',
  setHostnameAsFQDN: false,
  os: { name: 'linux' },
  schedulingGates: [{ name: 'example.com/gate' }],
  nodeName: '',
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 1001,
    seLinuxOptions: { level: 's0:c123,c456' },
    seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' },
    supplementalGroupsPolicy: 'Merge',
  },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
  affinity: {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] },
          topologyKey: 'topology.kubernetes.io/zone',
          namespaces: ['default'],
          namespaceSelector: {},
        },
      ],
    },
  },
  topologySpreadConstraints: [
    {
      maxSkew: 2,
      minDomains: 2,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { app: 'b' } },
      matchLabelKeys: ['pod-template-hash'],
      nodeAffinityPolicy: 'Honor',
      nodeTaintsPolicy: 'Ignore',
    },
  ],
});

const labels = { app: 'a', tier: 'web' };
const template = (restartPolicy = 'Always') => ({
  metadata: { labels: { ...labels }, annotations: { 'example.com/a': 'b' } },
  spec: podSpec(restartPolicy),
});
const selector = () => ({ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] });

const meta = (extra: Record<string, unknown> = {}) => ({
  name: NAME,
  labels: { a: 'b' },
  annotations: { 'example.com/note': 'x' },
  ...extra,
});
const core = (resource: string) => (ns: string) => `/api/v1/namespaces/${ns}/${resource}`;
const coreCluster = (resource: string) => () => `/api/v1/${resource}`;
const grp = (gv: string, resource: string) => (ns: string) => `/apis/${gv}/namespaces/${ns}/${resource}`;
const grpCluster = (gv: string, resource: string) => () => `/apis/${gv}/${resource}`;
const MICRO = '2026-01-01T00:00:00.000000Z';

export const SEEDS: Seed[] = [
  // core
  {
    kind: 'Pod',
    area: 'pod',
    namespaced: true,
    collection: core('pods'),
    body: () => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta({ labels: { ...labels } }), spec: podSpec() }),
  },
  {
    kind: 'Pod',
    area: 'pod',
    namespaced: true,
    collection: core('pods'),
    body: () => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta({ labels: { app: 'b' } }), spec: podSpec2() }),
  },
  {
    kind: 'Service',
    area: 'core',
    namespaced: true,
    collection: core('services'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(),
      spec: {
        type: 'ClusterIP',
        selector: { app: 'a' },
        ports: [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', appProtocol: 'http' },
          { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
        ],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 300 } },
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv4'],
        internalTrafficPolicy: 'Cluster',
        publishNotReadyAddresses: false,
      },
    }),
  },
  {
    kind: 'Service',
    area: 'core',
    namespaced: true,
    collection: core('services'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(),
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'a' },
        ports: [{ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }],
        externalTrafficPolicy: 'Local',
        loadBalancerSourceRanges: ['10.0.0.0/8'],
        externalIPs: ['192.0.2.10'],
        allocateLoadBalancerNodePorts: true,
      },
    }),
  },
  {
    kind: 'Service',
    area: 'core',
    namespaced: true,
    collection: core('services'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(),
      spec: { type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 5432 }] },
    }),
  },
  {
    kind: 'ConfigMap',
    area: 'core',
    namespaced: true,
    collection: core('configmaps'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(),
      data: { k: 'v', 'app.properties': 'a=b', '.hidden': 'h' },
      binaryData: { bin: 'aGVsbG8=' },
      immutable: false,
    }),
  },
  {
    kind: 'Secret',
    area: 'core',
    namespaced: true,
    collection: core('secrets'),
    body: () => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta(), type: 'Opaque', data: { k: 'dg==' }, stringData: { s: 'v' } }),
  },
  {
    kind: 'Secret',
    area: 'core',
    namespaced: true,
    collection: core('secrets'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(),
      type: 'kubernetes.io/basic-auth',
      stringData: { username: 'u', password: 'p' },
    }),
  },
  {
    kind: 'Namespace',
    area: 'core',
    namespaced: false,
    collection: coreCluster('namespaces'),
    body: () => ({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(), spec: { finalizers: ['kubernetes'] } }),
  },
  {
    kind: 'Node',
    area: 'core',
    namespaced: false,
    collection: coreCluster('nodes'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta({ labels: { 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': 'z1' } }),
      spec: {
        podCIDR: '10.244.1.0/24',
        podCIDRs: ['10.244.1.0/24'],
        providerID: 'example://n1',
        unschedulable: false,
        taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      },
      status: {
        capacity: { cpu: '4', memory: '8Gi', pods: '110', 'hugepages-2Mi': '0' },
        allocatable: { cpu: '3800m', memory: '7Gi', pods: '110' },
        addresses: [
          { type: 'InternalIP', address: '10.0.0.5' },
          { type: 'Hostname', address: 'n1' },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      },
    }),
  },
  {
    kind: 'PersistentVolume',
    area: 'core',
    namespaced: false,
    collection: coreCluster('persistentvolumes'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta(),
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
        hostPath: { path: '/tmp/pv', type: 'DirectoryOrCreate' },
        claimRef: { namespace: 'default', name: 'pvc' },
      },
    }),
  },
  {
    kind: 'PersistentVolume',
    area: 'core',
    namespaced: false,
    collection: coreCluster('persistentvolumes'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta(),
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
        persistentVolumeReclaimPolicy: 'Delete',
        mountOptions: ['hard', 'nfsvers=4.1'],
        local: { path: '/mnt/disk1', fsType: 'ext4' },
        nodeAffinity: {
          required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] },
        },
      },
    }),
  },
  {
    kind: 'PersistentVolume',
    area: 'core',
    namespaced: false,
    collection: coreCluster('persistentvolumes'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta(),
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteMany'],
        nfs: { server: '10.0.0.1', path: '/exports', readOnly: false },
      },
    }),
  },
  {
    kind: 'PersistentVolume',
    area: 'core',
    namespaced: false,
    collection: coreCluster('persistentvolumes'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta(),
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteOncePod'],
        csi: {
          driver: 'csi.example.com',
          volumeHandle: 'vol-1',
          fsType: 'xfs',
          volumeAttributes: { a: 'b' },
          nodePublishSecretRef: { name: 's', namespace: 'default' },
        },
      },
    }),
  },
  {
    kind: 'PersistentVolumeClaim',
    area: 'core',
    namespaced: true,
    collection: core('persistentvolumeclaims'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta(),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' }, limits: { storage: '2Gi' } },
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
        selector: { matchLabels: { a: 'b' } },
      },
    }),
  },
  {
    kind: 'PersistentVolumeClaim',
    area: 'core',
    namespaced: true,
    collection: core('persistentvolumeclaims'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta(),
      spec: {
        accessModes: ['ReadWriteMany'],
        resources: { requests: { storage: '5Gi' } },
        storageClassName: 'fast',
        volumeMode: 'Block',
        dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap' },
      },
    }),
  },
  {
    kind: 'Endpoints',
    area: 'core',
    namespaced: true,
    collection: core('endpoints'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta(),
      subsets: [
        {
          addresses: [{ ip: '10.1.2.3', hostname: 'h', nodeName: 'n1', targetRef: { kind: 'Pod', name: 'p', namespace: 'x' } }],
          notReadyAddresses: [{ ip: '10.1.2.4' }],
          ports: [
            { name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http' },
            { name: 'dns', port: 53, protocol: 'UDP' },
          ],
        },
      ],
    }),
  },
  {
    kind: 'Event',
    area: 'core',
    namespaced: true,
    collection: core('events'),
    body: (ns) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta(),
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: ns, uid: 'u', fieldPath: 'spec.containers{c}' },
      reason: 'Started',
      message: 'Started container c',
      type: 'Normal',
      source: { component: 'kubelet', host: 'n1' },
      count: 1,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
    }),
  },
  {
    kind: 'Event',
    area: 'core',
    namespaced: true,
    collection: core('events'),
    body: (ns) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta(),
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: ns },
      reason: 'Scheduled',
      message: 'assigned',
      type: 'Warning',
      eventTime: MICRO,
      action: 'Binding',
      reportingComponent: 'example.com/scheduler',
      reportingInstance: 'scheduler-1',
      series: { count: 2, lastObservedTime: MICRO },
      related: { kind: 'Node', name: 'n1' },
    }),
  },
  {
    kind: 'LimitRange',
    area: 'core',
    namespaced: true,
    collection: core('limitranges'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(),
      spec: {
        limits: [
          {
            type: 'Container',
            max: { cpu: '2', memory: '1Gi' },
            min: { cpu: '100m', memory: '64Mi' },
            default: { cpu: '500m', memory: '256Mi' },
            defaultRequest: { cpu: '200m', memory: '128Mi' },
            maxLimitRequestRatio: { cpu: '10' },
          },
          { type: 'Pod', max: { cpu: '4', memory: '2Gi' } },
          { type: 'PersistentVolumeClaim', max: { storage: '10Gi' }, min: { storage: '1Gi' } },
        ],
      },
    }),
  },
  {
    kind: 'ResourceQuota',
    area: 'core',
    namespaced: true,
    collection: core('resourcequotas'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(),
      spec: {
        hard: { cpu: '10', memory: '10Gi', pods: '100', 'requests.storage': '100Gi', 'count/deployments.apps': '5', services: '10' },
      },
    }),
  },
  {
    kind: 'ResourceQuota',
    area: 'core',
    namespaced: true,
    collection: core('resourcequotas'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(),
      spec: {
        hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi' },
        scopes: ['NotTerminating', 'NotBestEffort'],
        scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] },
      },
    }),
  },
  {
    kind: 'ServiceAccount',
    area: 'core',
    namespaced: true,
    collection: core('serviceaccounts'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(),
      secrets: [{ name: 'token' }],
      imagePullSecrets: [{ name: 'regcred' }],
      automountServiceAccountToken: true,
    }),
  },
  {
    kind: 'ReplicationController',
    area: 'core',
    namespaced: true,
    collection: core('replicationcontrollers'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: meta(),
      spec: { replicas: 2, minReadySeconds: 5, selector: { app: 'a' }, template: template() },
    }),
  },
  {
    kind: 'PodTemplate',
    area: 'pod',
    namespaced: true,
    collection: core('podtemplates'),
    body: () => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: meta(), template: template() }),
  },
  // apps
  {
    kind: 'Deployment',
    area: 'apps',
    namespaced: true,
    collection: grp('apps/v1', 'deployments'),
    body: () => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(),
      spec: {
        replicas: 3,
        selector: selector(),
        template: template(),
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        minReadySeconds: 5,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        paused: false,
      },
    }),
  },
  {
    kind: 'ReplicaSet',
    area: 'apps',
    namespaced: true,
    collection: grp('apps/v1', 'replicasets'),
    body: () => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(),
      spec: { replicas: 2, minReadySeconds: 0, selector: selector(), template: template() },
    }),
  },
  {
    kind: 'StatefulSet',
    area: 'apps',
    namespaced: true,
    collection: grp('apps/v1', 'statefulsets'),
    body: () => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta(),
      spec: {
        replicas: 2,
        serviceName: 'svc',
        selector: selector(),
        template: template(),
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
        revisionHistoryLimit: 5,
        minReadySeconds: 3,
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels: { a: 'b' } },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' },
          },
        ],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        ordinals: { start: 1 },
      },
    }),
  },
  {
    kind: 'DaemonSet',
    area: 'apps',
    namespaced: true,
    collection: grp('apps/v1', 'daemonsets'),
    body: () => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(),
      spec: {
        selector: selector(),
        template: template(),
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } },
        minReadySeconds: 2,
        revisionHistoryLimit: 4,
      },
    }),
  },
  {
    kind: 'ControllerRevision',
    area: 'apps',
    namespaced: true,
    collection: grp('apps/v1', 'controllerrevisions'),
    body: () => ({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: meta(),
      data: { spec: { template: { metadata: { labels: { app: 'a' } } } } },
      revision: 3,
    }),
  },
  // batch
  {
    kind: 'Job',
    area: 'apps',
    namespaced: true,
    collection: grp('batch/v1', 'jobs'),
    body: () => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(),
      spec: {
        parallelism: 2,
        completions: 4,
        backoffLimit: 3,
        activeDeadlineSeconds: 600,
        ttlSecondsAfterFinished: 100,
        suspend: false,
        completionMode: 'NonIndexed',
        podFailurePolicy: {
          rules: [
            { action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42, 43] } },
            { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          ],
        },
        podReplacementPolicy: 'Failed',
        template: template('Never'),
      },
    }),
  },
  {
    kind: 'Job',
    area: 'apps',
    namespaced: true,
    collection: grp('batch/v1', 'jobs'),
    body: () => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(),
      spec: {
        parallelism: 3,
        completions: 5,
        completionMode: 'Indexed',
        backoffLimitPerIndex: 1,
        maxFailedIndexes: 2,
        successPolicy: { rules: [{ succeededIndexes: '0-2', succeededCount: 2 }] },
        template: template('OnFailure'),
      },
    }),
  },
  {
    kind: 'CronJob',
    area: 'apps',
    namespaced: true,
    collection: grp('batch/v1', 'cronjobs'),
    body: () => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta(),
      spec: {
        schedule: '*/5 * * * *',
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 100,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        suspend: false,
        jobTemplate: {
          metadata: { labels: { job: 'j' } },
          spec: { backoffLimit: 2, activeDeadlineSeconds: 300, template: template('OnFailure') },
        },
      },
    }),
  },
  // autoscaling
  {
    kind: 'HorizontalPodAutoscaler/v2',
    area: 'groups',
    namespaced: true,
    collection: grp('autoscaling/v2', 'horizontalpodautoscalers'),
    body: () => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
          {
            type: 'Pods',
            pods: { metric: { name: 'qps', selector: { matchLabels: { a: 'b' } } }, target: { type: 'AverageValue', averageValue: '1' } },
          },
          { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10' } } },
          {
            type: 'Object',
            object: {
              describedObject: { apiVersion: 'v1', kind: 'Service', name: 's' },
              metric: { name: 'rps' },
              target: { type: 'Value', value: '100' },
            },
          },
          {
            type: 'ContainerResource',
            containerResource: { name: 'memory', container: 'c', target: { type: 'AverageValue', averageValue: '100Mi' } },
          },
        ],
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
          scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
        },
      },
    }),
  },
  {
    kind: 'HorizontalPodAutoscaler/v1',
    area: 'groups',
    namespaced: true,
    collection: grp('autoscaling/v1', 'horizontalpodautoscalers'),
    body: () => ({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
        minReplicas: 2,
        maxReplicas: 10,
        targetCPUUtilizationPercentage: 70,
      },
    }),
  },
  // networking
  {
    kind: 'Ingress',
    area: 'groups',
    namespaced: true,
    collection: grp('networking.k8s.io/v1', 'ingresses'),
    body: () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(),
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 's', port: { number: 80 } } },
        tls: [{ hosts: ['a.example.com', '*.b.example.com'], secretName: 'tls' }],
        rules: [
          {
            host: 'a.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { name: 'http' } } } },
                { path: '/x', pathType: 'Exact', backend: { resource: { apiGroup: 'example.com', kind: 'K', name: 'r' } } },
                { path: '/y', pathType: 'ImplementationSpecific', backend: { service: { name: 't', port: { number: 8080 } } } },
              ],
            },
          },
          {
            host: '*.b.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'b', port: { number: 80 } } } }] },
          },
        ],
      },
    }),
  },
  {
    kind: 'IngressClass',
    area: 'groups',
    namespaced: false,
    collection: grpCluster('networking.k8s.io/v1', 'ingressclasses'),
    body: () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: meta(),
      spec: {
        controller: 'example.com/ingress-controller',
        parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p', scope: 'Namespace', namespace: 'default' },
      },
    }),
  },
  {
    kind: 'NetworkPolicy',
    area: 'groups',
    namespaced: true,
    collection: grp('networking.k8s.io/v1', 'networkpolicies'),
    body: () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(),
      spec: {
        podSelector: { matchLabels: { app: 'a' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: { a: 'b' } } },
              { namespaceSelector: { matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] } },
              { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } },
            ],
            ports: [{ protocol: 'TCP', port: 80, endPort: 90 }, { port: 'http' }],
          },
        ],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'UDP', port: 53 }] }],
      },
    }),
  },
  // policy
  {
    kind: 'PodDisruptionBudget',
    area: 'groups',
    namespaced: true,
    collection: grp('policy/v1', 'poddisruptionbudgets'),
    body: () => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(),
      spec: { minAvailable: 1, selector: selector(), unhealthyPodEvictionPolicy: 'IfHealthyBudget' },
    }),
  },
  {
    kind: 'PodDisruptionBudget',
    area: 'groups',
    namespaced: true,
    collection: grp('policy/v1', 'poddisruptionbudgets'),
    body: () => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(),
      spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'a' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    }),
  },
  // rbac
  {
    kind: 'Role',
    area: 'groups',
    namespaced: true,
    collection: grp('rbac.authorization.k8s.io/v1', 'roles'),
    body: () => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(),
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'], resourceNames: ['p'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] },
      ],
    }),
  },
  {
    kind: 'ClusterRole',
    area: 'groups',
    namespaced: false,
    collection: grpCluster('rbac.authorization.k8s.io/v1', 'clusterroles'),
    body: () => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(),
      rules: [
        { nonResourceURLs: ['/healthz', '/metrics/*'], verbs: ['get'] },
        { apiGroups: ['apps', 'batch'], resources: ['deployments', 'jobs'], verbs: ['get', 'watch'] },
      ],
    }),
  },
  {
    kind: 'ClusterRole',
    area: 'groups',
    namespaced: false,
    collection: grpCluster('rbac.authorization.k8s.io/v1', 'clusterroles'),
    body: () => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(),
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate': 'true' } }] },
    }),
  },
  {
    kind: 'RoleBinding',
    area: 'groups',
    namespaced: true,
    collection: grp('rbac.authorization.k8s.io/v1', 'rolebindings'),
    body: () => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(),
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
      ],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    }),
  },
  {
    kind: 'ClusterRoleBinding',
    area: 'groups',
    namespaced: false,
    collection: grpCluster('rbac.authorization.k8s.io/v1', 'clusterrolebindings'),
    body: () => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(),
      subjects: [
        { kind: 'ServiceAccount', name: 'sa', namespace: 'kube-system' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' },
      ],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    }),
  },
  // storage, coordination, discovery, events, scheduling
  {
    kind: 'StorageClass',
    area: 'groups',
    namespaced: false,
    collection: grpCluster('storage.k8s.io/v1', 'storageclasses'),
    body: () => ({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: meta(),
      provisioner: 'example.com/provisioner',
      parameters: { type: 'ssd', 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      mountOptions: ['debug'],
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['z1', 'z2'] }] }],
    }),
  },
  {
    kind: 'Lease',
    area: 'groups',
    namespaced: true,
    collection: grp('coordination.k8s.io/v1', 'leases'),
    body: () => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: meta(),
      spec: { holderIdentity: 'h', leaseDurationSeconds: 15, leaseTransitions: 1, acquireTime: MICRO, renewTime: MICRO },
    }),
  },
  {
    kind: 'EndpointSlice',
    area: 'groups',
    namespaced: true,
    collection: grp('discovery.k8s.io/v1', 'endpointslices'),
    body: () => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta({ labels: { 'kubernetes.io/service-name': 's' } }),
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: ['10.1.2.3'],
          conditions: { ready: true, serving: true, terminating: false },
          hostname: 'h',
          nodeName: 'n1',
          zone: 'z1',
          targetRef: { kind: 'Pod', name: 'p' },
          hints: { forZones: [{ name: 'z1' }] },
        },
      ],
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    }),
  },
  {
    kind: 'events.k8s.io/Event',
    area: 'groups',
    namespaced: true,
    collection: grp('events.k8s.io/v1', 'events'),
    body: (ns) => ({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: meta(),
      eventTime: MICRO,
      reportingController: 'example.com/controller',
      reportingInstance: 'controller-1',
      action: 'Reconcile',
      reason: 'Synced',
      type: 'Normal',
      note: 'all good',
      regarding: { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: ns },
      related: { kind: 'Node', name: 'n1' },
      series: { count: 2, lastObservedTime: MICRO },
    }),
  },
  {
    kind: 'PriorityClass',
    area: 'groups',
    namespaced: false,
    collection: grpCluster('scheduling.k8s.io/v1', 'priorityclasses'),
    body: () => ({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: meta(),
      value: 1000,
      globalDefault: false,
      description: 'medium',
      preemptionPolicy: 'Never',
    }),
  },
  // Second seeds of some kinds, for the fields and types the first ones do not set.
  {
    kind: 'Service',
    area: 'core',
    namespaced: true,
    collection: core('services'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(),
      spec: {
        type: 'NodePort',
        selector: { app: 'a' },
        ports: [
          { name: 'web', port: 8080, targetPort: 'web', nodePort: 30080, protocol: 'TCP' },
          { name: 'sctp', port: 9000, protocol: 'SCTP' },
        ],
        externalTrafficPolicy: 'Cluster',
        trafficDistribution: 'PreferClose',
      },
    }),
  },
  {
    kind: 'Service',
    area: 'core',
    namespaced: true,
    collection: core('services'),
    body: () => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(),
      spec: {
        clusterIP: 'None',
        selector: { app: 'a' },
        ports: [{ name: 'peer', port: 2380 }],
        publishNotReadyAddresses: true,
        ipFamilyPolicy: 'PreferDualStack',
      },
    }),
  },
  {
    kind: 'Deployment',
    area: 'apps',
    namespaced: true,
    collection: grp('apps/v1', 'deployments'),
    body: () => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(),
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'b' } },
        template: { metadata: { labels: { app: 'b' } }, spec: { ...podSpec2(), restartPolicy: 'Always' } },
        strategy: { type: 'Recreate' },
      },
    }),
  },
  {
    kind: 'StatefulSet',
    area: 'apps',
    namespaced: true,
    collection: grp('apps/v1', 'statefulsets'),
    body: () => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta(),
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: { metadata: { labels: { app: 'a' } }, spec: podSpec() },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'OnDelete' },
      },
    }),
  },
  {
    kind: 'DaemonSet',
    area: 'apps',
    namespaced: true,
    collection: grp('apps/v1', 'daemonsets'),
    body: () => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(),
      spec: {
        selector: { matchLabels: { app: 'b' } },
        template: { metadata: { labels: { app: 'b' } }, spec: { ...podSpec2(), restartPolicy: 'Always' } },
        updateStrategy: { type: 'OnDelete' },
      },
    }),
  },
  {
    kind: 'Ingress',
    area: 'groups',
    namespaced: true,
    collection: grp('networking.k8s.io/v1', 'ingresses'),
    body: () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(),
      spec: { defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } },
    }),
  },
];

/** The kinds in SEEDS, in order. */
export const SEED_KINDS: string[] = [...new Set(SEEDS.map((s) => s.kind))];
