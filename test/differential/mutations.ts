// Property-style invalid workloads for the differential suite (issue 10): valid Pods, Deployments, StatefulSets,
// DaemonSets, Jobs and CronJobs, each given one to three faults (out-of-range numbers, bad names, wrong enums,
// removed required fields, mismatched selectors, bad schedules) from a seeded generator, so a run is repeatable.

export interface MutatedRequest {
  path: string;
  body: Record<string, any>;
}

/** `count` mutated create requests from `seed` (a linear congruential generator, as C's rand). */
export function mutatedWorkloads(count: number, seed: number): MutatedRequest[] {
  let state = seed;
  const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const c = () => ({
    name: 'c',
    image: 'nginx',
    ports: [{ containerPort: 80, name: 'http' }],
    env: [{ name: 'A', value: 'b' }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    livenessProbe: { httpGet: { path: '/', port: 80 } },
    volumeMounts: [{ name: 'v', mountPath: '/v' }],
  });
  const podSpec = () => ({ containers: [c()], volumes: [{ name: 'v', emptyDir: {} }], tolerations: [{ key: 'k', operator: 'Exists' }] });
  const kinds: Record<string, () => { path: string; body: Record<string, any>; root: string[] }> = {
    pod: () => ({ path: '/api/v1/namespaces/default/pods', body: { metadata: { name: '' }, spec: podSpec() }, root: ['spec'] }),
    deployment: () => ({
      path: '/apis/apps/v1/namespaces/default/deployments',
      body: {
        metadata: { name: '' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: podSpec() } },
      },
      root: ['spec', 'template', 'spec'],
    }),
    statefulset: () => ({
      path: '/apis/apps/v1/namespaces/default/statefulsets',
      body: {
        metadata: { name: '' },
        spec: {
          replicas: 2,
          serviceName: 's',
          selector: { matchLabels: { app: 'a' } },
          template: { metadata: { labels: { app: 'a' } }, spec: podSpec() },
        },
      },
      root: ['spec', 'template', 'spec'],
    }),
    daemonset: () => ({
      path: '/apis/apps/v1/namespaces/default/daemonsets',
      body: {
        metadata: { name: '' },
        spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: podSpec() } },
      },
      root: ['spec', 'template', 'spec'],
    }),
    job: () => ({
      path: '/apis/batch/v1/namespaces/default/jobs',
      body: {
        metadata: { name: '' },
        spec: { parallelism: 1, completions: 1, template: { spec: { ...podSpec(), restartPolicy: 'Never' } } },
      },
      root: ['spec', 'template', 'spec'],
    }),
    cronjob: () => ({
      path: '/apis/batch/v1/namespaces/default/cronjobs',
      body: {
        metadata: { name: '' },
        spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: 'OnFailure' } } } } },
      },
      root: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    }),
  };
  const at = (o: any, path: string[]): any => path.reduce((x, k) => x[k], o);
  const specMutations: Array<(s: any) => unknown> = [
    (s: any) => (s.containers[0].ports[0].containerPort = pick([0, -1, 65536, 70000])),
    (s: any) => (s.containers[0].ports[0].name = pick(['Bad_Name', '1234', 'a--b', 'x'.repeat(16)])),
    (s: any) => (s.containers[0].ports[0].protocol = pick(['tcp', 'ICMP'])),
    (s: any) => (s.containers[0].name = pick(['Bad_Name', 'a.b', 'x'.repeat(64), '-x'])),
    (s: any) => (s.containers[0].image = ''),
    (s: any) => delete s.containers[0].name,
    (s: any) => (s.containers[0].env[0].name = pick(['A=B', ''])),
    (s: any) =>
      (s.containers[0].env[0].valueFrom = pick([{}, { fieldRef: { fieldPath: 'spec.bogus' } }, { secretKeyRef: { name: 'x', key: '' } }])),
    (s: any) => (s.containers[0].resources.requests.cpu = pick(['2', '-1', '300m'])),
    (s: any) => (s.containers[0].resources.limits.memory = pick(['-1Mi', '32Mi'])),
    (s: any) => (s.containers[0].resources.limits[pick(['foo', 'example.com/gpu', 'pods'])] = pick(['1', '1.5'])),
    (s: any) => (s.containers[0].livenessProbe.periodSeconds = -1),
    (s: any) => (s.containers[0].livenessProbe.successThreshold = pick([0, 2])),
    (s: any) => (s.containers[0].livenessProbe.exec = { command: ['x'] }),
    (s: any) => (s.containers[0].livenessProbe = { initialDelaySeconds: 1 }),
    (s: any) => (s.containers[0].volumeMounts[0].name = 'missing'),
    (s: any) => (s.containers[0].volumeMounts[0].mountPath = ''),
    (s: any) => s.containers[0].volumeMounts.push({ name: 'v', mountPath: '/v' }),
    (s: any) => (s.volumes[0].name = pick(['Bad_V', 'a.b'])),
    (s: any) => s.volumes.push({ name: 'v', emptyDir: {} }),
    (s: any) => (s.volumes[0] = { name: 'v' }),
    (s: any) => (s.volumes[0].hostPath = { path: '/x' }),
    (s: any) => (s.containers[0].imagePullPolicy = 'Sometimes'),
    (s: any) => (s.containers[0].terminationMessagePolicy = 'Bogus'),
    (s: any) => (s.dnsPolicy = 'Weird'),
    (s: any) => (s.nodeSelector = { 'bad key': 'v' }),
    (s: any) =>
      (s.tolerations[0] = pick([
        { operator: 'Equal', value: 'x' },
        { key: 'k', operator: 'Foo' },
        { key: 'k', operator: 'Exists', value: 'v' },
      ])),
    (s: any) => (s.activeDeadlineSeconds = 0),
    (s: any) => (s.hostname = 'Bad_H'),
    (s: any) => (s.serviceAccountName = 'Bad_SA'),
    (s: any) => (s.terminationGracePeriodSeconds = -5),
    (s: any) => (s.containers = []),
    (s: any) => s.containers.push(c()),
    (s: any) => (s.initContainers = [{ name: 'c', image: 'x' }]),
    (s: any) => (s.securityContext = { runAsUser: -1 }),
    (s: any) => (s.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '' }] } }),
    (s: any) => (s.topologySpreadConstraints = [{ maxSkew: 0, topologyKey: 'z', whenUnsatisfiable: 'DoNotSchedule' }]),
  ];
  const objMutations: Record<string, Array<(b: any) => unknown>> = {
    deployment: [
      (b: any) => (b.spec.replicas = -1),
      (b: any) => (b.spec.selector = { matchLabels: { app: 'b' } }),
      (b: any) => (b.spec.minReadySeconds = -1),
      (b: any) => (b.spec.strategy = { type: 'Bogus' }),
      (b: any) => (b.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
      (b: any) => (b.spec.revisionHistoryLimit = -1),
      (b: any) => (b.spec.template.spec.restartPolicy = 'Never'),
    ],
    statefulset: [
      (b: any) => (b.spec.replicas = -1),
      (b: any) => (b.spec.serviceName = 'Bad_S'),
      (b: any) => (b.spec.podManagementPolicy = 'Bogus'),
      (b: any) => (b.spec.selector = {}),
    ],
    daemonset: [
      (b: any) => (b.spec.minReadySeconds = -1),
      (b: any) => (b.spec.updateStrategy = { type: 'Bogus' }),
      (b: any) => (b.spec.selector = { matchLabels: { app: 'b' } }),
    ],
    job: [
      (b: any) => (b.spec.parallelism = -1),
      (b: any) => (b.spec.backoffLimit = -1),
      (b: any) => (b.spec.template.spec.restartPolicy = 'Always'),
      (b: any) => (b.spec.completionMode = 'Bogus'),
    ],
    cronjob: [
      (b: any) => (b.spec.schedule = pick(['bogus', '61 * * * *', '* * * *', '*/0 * * * *'])),
      (b: any) => (b.spec.concurrencyPolicy = 'Sometimes'),
      (b: any) => (b.spec.timeZone = pick(['', 'Mars/Base'])),
      (b: any) => (b.spec.startingDeadlineSeconds = -1),
    ],
    pod: [],
  };
  const out: MutatedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const kind = pick(Object.keys(kinds));
    const k = kinds[kind]();
    k.body.metadata.name = `m${i}`;
    const faults = 1 + Math.floor(rnd() * 3);
    for (let f = 0; f < faults; f++) {
      const om = objMutations[kind];
      try {
        // An earlier fault may have removed what this one edits; the object stays as it was then.
        if (om.length > 0 && rnd() < 0.3) pick(om)(k.body);
        else pick(specMutations)(at(k.body, k.root));
      } catch {
        continue;
      }
    }
    out.push({ path: k.path, body: k.body });
  }
  return out;
}
