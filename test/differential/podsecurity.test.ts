// PodSecurity beside the reference kube-apiserver (both with kube's default admission, where PodSecurity is on with
// its default configuration): the same labelled namespaces, then pods and workloads violating baseline and
// restricted at several versions, through enforce, warn and audit, creates and updates, and namespace label changes
// over existing pods. Status codes and Warning headers must match on every answer, and a refusal's body byte for
// byte. Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import type { HttpResponse, Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

interface Step {
  title: string;
  method: string;
  path: string;
  /**
   * The answer lists a namespace's existing pods, which kube reads from its informer: first wait until a dry run of
   * the step answers alike on both servers (kube's informer has caught up with the pods just created).
   */
  settle?: boolean;
  body?: object;
  headers?: Record<string, string>;
}

const PS = 'pod-security.kubernetes.io';
const namespace = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const pods = (ns: string) => `/api/v1/namespaces/${ns}/pods`;
const pod = (name: string, spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}, metadata: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...metadata },
  spec: { containers: [{ name: 'c', image: 'busybox', ...container }], ...spec },
});
/** A pod that passes restricted:latest. */
const RESTRICTED_SC = {
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
};
const PRIVILEGED = { securityContext: { privileged: true } };
const template = (spec: Record<string, unknown>, container: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: 'x' } },
  spec: { containers: [{ name: 'c', image: 'busybox', ...container }], ...spec },
});
const deployment = (name: string, spec: Record<string, unknown>, container: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { selector: { matchLabels: { app: 'x' } }, template: template(spec, container) },
});
const job = (name: string, container: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: { template: template({ restartPolicy: 'Never' }, container) },
});
const cronJob = (name: string, container: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name },
  spec: { schedule: '* * * * *', jobTemplate: { spec: { template: template({ restartPolicy: 'Never' }, container) } } },
});
const mergePatch = { 'content-type': 'application/merge-patch+json' };

/** Violations of nearly every baseline check at once, in one pod. */
const EVERYTHING_BASELINE = pod(
  'everything',
  {
    hostPID: true,
    volumes: [
      { name: 'host', hostPath: { path: '/etc' } },
      { name: 'nfs', nfs: { server: 'example.com', path: '/x' } },
    ],
    securityContext: {
      sysctls: [
        { name: 'kernel.msgmax', value: '1' },
        { name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' },
      ],
      seLinuxOptions: { type: 'spc_t' },
      appArmorProfile: { type: 'Unconfined' },
    },
    initContainers: [{ name: 'init', image: 'busybox', securityContext: { privileged: true, seccompProfile: { type: 'Unconfined' } } }],
  },
  {
    ports: [
      { containerPort: 9090, hostPort: 9090 },
      { containerPort: 80, hostPort: 80 },
    ],
    securityContext: {
      capabilities: { add: ['SYS_ADMIN', 'NET_RAW', 'CHOWN'] },
      seLinuxOptions: { user: 'u', role: 'r' },
      runAsUser: 0,
    },
    livenessProbe: { httpGet: { host: 'example.com', port: 80 } },
    readinessProbe: { tcpSocket: { host: '10.0.0.1', port: 80 } },
  },
  { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } },
);

const SETUP: Step[] = [
  {
    title: 'restricted',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: namespace('ps-restricted', { [`${PS}/enforce`]: 'restricted' }),
  },
  {
    title: 'baseline, warn restricted',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: namespace('ps-baseline', { [`${PS}/enforce`]: 'baseline', [`${PS}/warn`]: 'restricted', [`${PS}/warn-version`]: 'v1.33' }),
  },
  {
    title: 'warn and audit only',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: namespace('ps-warn', { [`${PS}/warn`]: 'restricted', [`${PS}/audit`]: 'baseline' }),
  },
  {
    title: 'restricted at v1.22',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: namespace('ps-old', { [`${PS}/enforce`]: 'restricted', [`${PS}/enforce-version`]: 'v1.22' }),
  },
  { title: 'unlabelled', method: 'POST', path: '/api/v1/namespaces', body: namespace('ps-open', {}) },
  {
    title: 'baseline, warn baseline:v1.30',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: namespace('ps-versions', { [`${PS}/enforce`]: 'baseline', [`${PS}/warn`]: 'baseline', [`${PS}/warn-version`]: 'v1.30' }),
  },
  { title: 'another one to restrict later', method: 'POST', path: '/api/v1/namespaces', body: namespace('ps-many', {}) },
];

const STEPS: Step[] = [
  // Namespace labels.
  {
    title: 'an unknown level is refused',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: namespace('ps-bad-level', { [`${PS}/enforce`]: 'strict' }),
  },
  {
    title: 'unknown versions and levels in every mode are refused together',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: namespace('ps-bad-all', {
      [`${PS}/enforce`]: 'baseline',
      [`${PS}/enforce-version`]: 'v2.0',
      [`${PS}/audit`]: 'none',
      [`${PS}/audit-version`]: 'v1.01',
      [`${PS}/warn`]: 'Restricted',
      [`${PS}/warn-version`]: '1.30',
    }),
  },
  {
    title: 'an invalid label on update',
    method: 'PATCH',
    path: '/api/v1/namespaces/ps-open',
    headers: mergePatch,
    body: { metadata: { labels: { [`${PS}/warn-version`]: 'newest' } } },
  },
  // Pods under enforce.
  { title: 'a privileged pod under restricted', method: 'POST', path: pods('ps-restricted'), body: pod('priv', {}, PRIVILEGED) },
  { title: 'a plain pod under restricted', method: 'POST', path: pods('ps-restricted'), body: pod('plain') },
  { title: 'a restricted pod', method: 'POST', path: pods('ps-restricted'), body: pod('good', {}, RESTRICTED_SC) },
  {
    title: 'a restricted pod adding NET_BIND_SERVICE',
    method: 'POST',
    path: pods('ps-restricted'),
    body: pod(
      'bind',
      {},
      { securityContext: { ...RESTRICTED_SC.securityContext, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } },
    ),
  },
  {
    title: 'pod-level runAsNonRoot and seccomp cover the containers',
    method: 'POST',
    path: pods('ps-restricted'),
    body: pod(
      'podlevel',
      { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } },
      { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
    ),
  },
  {
    title: 'explicit bad values on the pod and its containers',
    method: 'POST',
    path: pods('ps-restricted'),
    body: pod(
      'explicit',
      { securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'Unconfined' } } },
      { securityContext: { allowPrivilegeEscalation: true, runAsNonRoot: false, capabilities: { drop: ['NET_RAW'], add: ['SYS_TIME'] } } },
    ),
  },
  { title: 'every baseline check at once', method: 'POST', path: pods('ps-restricted'), body: EVERYTHING_BASELINE },
  { title: 'every baseline check under baseline', method: 'POST', path: pods('ps-baseline'), body: EVERYTHING_BASELINE },
  {
    title: 'host namespaces',
    method: 'POST',
    path: pods('ps-baseline'),
    body: pod('hostns', { hostNetwork: true, hostIPC: true }, { ports: [{ containerPort: 8080 }] }),
  },
  {
    title: 'restricted volume types',
    method: 'POST',
    path: pods('ps-restricted'),
    body: pod(
      'vols',
      {
        volumes: [
          { name: 'cm', configMap: { name: 'x' } },
          { name: 'nfs', nfs: { server: 'example.com', path: '/x' } },
          { name: 'iscsi', iscsi: { targetPortal: '10.0.0.1:3260', iqn: 'iqn.2001-04.com.example:storage', lun: 0 } },
          { name: 'empty', emptyDir: {} },
        ],
      },
      RESTRICTED_SC,
    ),
  },
  { title: 'a dry run is refused alike', method: 'POST', path: `${pods('ps-restricted')}?dryRun=All`, body: pod('dry', {}, PRIVILEGED) },
  {
    title: 'a pod named by generateName',
    method: 'POST',
    path: pods('ps-restricted'),
    body: { ...pod('', {}, PRIVILEGED), metadata: { generateName: 'gen-' } },
  },
  // Warn and audit without enforce.
  { title: 'baseline enforces baseline, warns restricted:v1.33', method: 'POST', path: pods('ps-baseline'), body: pod('plain') },
  { title: 'baseline refuses privileged', method: 'POST', path: pods('ps-baseline'), body: pod('priv', {}, PRIVILEGED) },
  {
    title: 'warn only: a privileged pod is created with a warning',
    method: 'POST',
    path: pods('ps-warn'),
    body: pod('priv', {}, PRIVILEGED),
  },
  {
    title: 'a windows pod passes the linux-only restricted checks',
    method: 'POST',
    path: pods('ps-warn'),
    body: pod('win', {
      os: { name: 'windows' },
      securityContext: { runAsNonRoot: true },
    }),
  },
  // Versions: restricted:v1.22 knows no runAsUser check and exempts no windows pod.
  {
    title: 'restricted:v1.22 ignores runAsUser=0',
    method: 'POST',
    path: pods('ps-old'),
    body: pod('root', {}, { securityContext: { ...RESTRICTED_SC.securityContext, runAsNonRoot: undefined, runAsUser: 0 } }),
  },
  { title: 'restricted:v1.22 on a plain pod', method: 'POST', path: pods('ps-old'), body: pod('plain') },
  // What changed between versions: container_engine_t (1.31), tcp_rmem (1.32), probe hosts (1.34).
  {
    title: 'newer allowances warn at an older version',
    method: 'POST',
    path: pods('ps-versions'),
    body: pod(
      'newer',
      {
        securityContext: {
          seLinuxOptions: { type: 'container_engine_t' },
          sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }],
        },
      },
      { readinessProbe: { httpGet: { host: 'example.com', port: 80 } } },
    ),
  },
  {
    title: 'probe hosts are refused at latest',
    method: 'POST',
    path: pods('ps-versions'),
    body: pod(
      'probes',
      { initContainers: [{ name: 'i', image: 'busybox', restartPolicy: 'Always', startupProbe: { tcpSocket: { host: 'b', port: 1 } } }] },
      { lifecycle: { preStop: { httpGet: { host: 'a', port: 80 } }, postStart: { tcpSocket: { host: 'a', port: 80 } } } },
    ),
  },
  {
    // (The deprecated annotations draw a deprecation warning kgate does not give: the unit tests cover them.)
    title: 'AppArmor profiles on the pod and containers',
    method: 'POST',
    path: pods('ps-versions'),
    body: pod(
      'apparmor',
      {
        securityContext: { appArmorProfile: { type: 'Unconfined' } },
        initContainers: [
          { name: 'i', image: 'busybox', securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } } },
        ],
      },
      { securityContext: { appArmorProfile: { type: 'Unconfined' } } },
    ),
  },
  {
    title: 'an unmasked /proc',
    method: 'POST',
    path: pods('ps-versions'),
    body: pod('proc', { hostUsers: false }, { securityContext: { procMount: 'Unmasked' } }),
  },
  {
    title: 'a Windows hostProcess pod',
    method: 'POST',
    path: pods('ps-versions'),
    body: pod('hostprocess', {
      os: { name: 'windows' },
      hostNetwork: true,
      securityContext: { windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\SYSTEM' } },
    }),
  },
  // Workloads: warnings, never refusals.
  {
    title: 'a privileged Deployment under restricted',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/ps-restricted/deployments',
    body: deployment('d', {}, PRIVILEGED),
  },
  {
    title: 'a hostNetwork Deployment under warn',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/ps-warn/deployments',
    body: deployment('d', { hostNetwork: true }),
  },
  {
    title: 'a compliant Deployment',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/ps-restricted/deployments',
    body: deployment('ok', {}, RESTRICTED_SC),
  },
  { title: 'a Job under baseline', method: 'POST', path: '/apis/batch/v1/namespaces/ps-baseline/jobs', body: job('j', PRIVILEGED) },
  {
    title: 'a CronJob under restricted',
    method: 'POST',
    path: '/apis/batch/v1/namespaces/ps-restricted/cronjobs',
    body: cronJob('cj', {}),
  },
  {
    title: 'a StatefulSet under warn',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/ps-warn/statefulsets',
    body: {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 's' },
      spec: { selector: { matchLabels: { app: 'x' } }, template: template({ hostPID: true }) },
    },
  },
  {
    title: 'a DaemonSet under baseline',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/ps-baseline/daemonsets',
    body: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ds' },
      spec: { selector: { matchLabels: { app: 'x' } }, template: template({}, PRIVILEGED) },
    },
  },
  {
    title: 'a ReplicaSet under restricted',
    method: 'POST',
    path: '/apis/apps/v1/namespaces/ps-restricted/replicasets',
    body: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs' },
      spec: { selector: { matchLabels: { app: 'x' } }, template: template({}) },
    },
  },
  {
    title: 'a ReplicationController under restricted',
    method: 'POST',
    path: '/api/v1/namespaces/ps-restricted/replicationcontrollers',
    body: {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc' },
      spec: { selector: { app: 'x' }, template: template({}, PRIVILEGED) },
    },
  },
  {
    title: 'a PodTemplate under restricted',
    method: 'POST',
    path: '/api/v1/namespaces/ps-restricted/podtemplates',
    body: { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt' }, template: template({ hostIPC: true }) },
  },
  {
    title: 'a Deployment’s template changed to a violating one',
    method: 'PATCH',
    path: '/apis/apps/v1/namespaces/ps-restricted/deployments/ok',
    headers: mergePatch,
    body: { spec: { template: { spec: { hostNetwork: true } } } },
  },
  {
    title: 'a Deployment’s scale is not checked',
    method: 'PATCH',
    path: '/apis/apps/v1/namespaces/ps-restricted/deployments/d/scale',
    headers: mergePatch,
    body: { spec: { replicas: 2 } },
  },
  // Updates of pods created before the namespace was restricted.
  { title: 'a privileged pod in an open namespace', method: 'POST', path: pods('ps-open'), body: pod('priv', {}, PRIVILEGED) },
  { title: 'a second one', method: 'POST', path: pods('ps-open'), body: pod('priv2', {}, PRIVILEGED) },
  { title: 'a hostNetwork pod', method: 'POST', path: pods('ps-open'), body: pod('hostnet', { hostNetwork: true }) },
  { title: 'a compliant pod', method: 'POST', path: pods('ps-open'), body: pod('good', {}, RESTRICTED_SC) },
  {
    title: 'enforcing baseline warns about the existing pods',
    settle: true,
    method: 'PATCH',
    path: '/api/v1/namespaces/ps-open',
    headers: mergePatch,
    body: { metadata: { labels: { [`${PS}/enforce`]: 'baseline' } } },
  },
  {
    title: 'relaxing it warns about nothing',
    method: 'PATCH',
    path: '/api/v1/namespaces/ps-open',
    headers: mergePatch,
    body: { metadata: { labels: { [`${PS}/enforce`]: 'privileged' } } },
  },
  {
    title: 'enforcing restricted at v1.24 names each violation',
    settle: true,
    method: 'PATCH',
    path: '/api/v1/namespaces/ps-open',
    headers: mergePatch,
    body: { metadata: { labels: { [`${PS}/enforce`]: 'restricted', [`${PS}/enforce-version`]: 'v1.24' } } },
  },
  {
    title: 'a label-only update of a violating pod',
    method: 'PATCH',
    path: `${pods('ps-open')}/priv`,
    headers: mergePatch,
    body: { metadata: { labels: { a: 'b' } } },
  },
  {
    title: 'a new image in a violating pod',
    method: 'PATCH',
    path: `${pods('ps-open')}/priv`,
    headers: mergePatch,
    body: pod('priv', {}, { image: 'busybox:2', ...PRIVILEGED }),
  },
  {
    title: 'a status update of a violating pod',
    method: 'PATCH',
    path: `${pods('ps-open')}/priv/status`,
    headers: mergePatch,
    body: { status: { message: 'm' } },
  },
  { title: 'deleting a violating pod', method: 'DELETE', path: `${pods('ps-open')}/priv2` },
  // Many pods sharing violations are counted under the lexically first one's name.
  ...['p3', 'p1', 'p4', 'p2'].map((name) => ({
    title: `pod ${name}`,
    method: 'POST',
    path: pods('ps-many'),
    body: pod(name, {}, PRIVILEGED),
  })),
  ...['h2', 'h1'].map((name) => ({ title: `pod ${name}`, method: 'POST', path: pods('ps-many'), body: pod(name, { hostPID: true }) })),
  {
    title: 'restricting a namespace of many pods counts them',
    settle: true,
    method: 'PATCH',
    path: '/api/v1/namespaces/ps-many',
    headers: mergePatch,
    body: { metadata: { labels: { [`${PS}/enforce`]: 'baseline', [`${PS}/audit`]: 'restricted' } } },
  },
  {
    title: 'the same enforce level with a new audit level checks nothing',
    method: 'PATCH',
    path: '/api/v1/namespaces/ps-many',
    headers: mergePatch,
    body: { metadata: { labels: { [`${PS}/audit`]: 'baseline' } } },
  },
  {
    title: 'enforcing an older version checks again',
    settle: true,
    method: 'PATCH',
    path: '/api/v1/namespaces/ps-many',
    headers: mergePatch,
    body: { metadata: { labels: { [`${PS}/enforce-version`]: 'v1.0' } } },
  },
];

/** The answer's status and Warning headers, and a refusal's body (a generated name's random suffix masked). */
function summary(res: HttpResponse) {
  const warning = res.headers.warning;
  return { status: res.status, warning, ...(res.status >= 300 && { body: res.text.replace(/\bgen-[a-z0-9]{5}\b/g, 'gen-<random>') }) };
}

async function run(request: Requester, step: Step) {
  return summary(await request(step.method, step.path, { body: step.body, ...(step.headers && { headers: step.headers }) }));
}

if (!referenceBinary()) {
  console.log(`PodSecurity differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: PodSecurity as kube-apiserver applies it', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      // The reference runs kube's default plugins minus ServiceAccount; kgate runs its default set.
      // Privileged containers are allowed, as kubeadm and every real cluster configure kube-apiserver.
      // kgate with the reference's admission flags (no ServiceAccount admission), so pods carry no token volume on either.
      [kube, kgate] = await Promise.all([
        startReference({ extraArgs: ['--allow-privileged=true'] }),
        startKgate({ flags: REFERENCE_ADMISSION_FLAGS }),
      ]);
      for (const step of SETUP) {
        for (const server of [kube, kgate]) {
          const res = await run(server.request, step);
          assert.equal(res.status, 201, `${step.title}: ${JSON.stringify(res)}`);
        }
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
    });
    async function settle(step: Step): Promise<void> {
      const dryRun: Step = { ...step, path: `${step.path}?dryRun=All` };
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [want, got] = [await run(kube!.request, dryRun), await run(kgate!.request, dryRun)];
        if (JSON.stringify(want) === JSON.stringify(got)) return;
        if (Date.now() > deadline) assert.deepEqual(got, want, `${step.title} (dry run) never agreed`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    for (const step of STEPS) {
      it(step.title, async () => {
        if (step.settle) await settle(step);
        const want = await run(kube!.request, step);
        const got = await run(kgate!.request, step);
        assert.deepEqual(got, want);
      });
    }
  });
}
