// PodSecurity's pure parts: the namespace labels read as a policy (levels.ts), every check as a table of pods and
// kube's reasons and details (checks.ts, expectations from pod-security-admission's own policy tests), which
// checks run at which level and version, and the plugin's decisions over fake namespaces and pods (plugin.ts):
// enforce, warn, audit annotations, exemptions, updates that matter, subresources and namespace label changes.
import assert from 'node:assert/strict';
import type { AdmissionAttributes } from '../../src/admission/index.js';
import { aggregate, DEFAULT_CHECKS, Evaluator, forbiddenDetail, type CheckResult } from '../../src/admission/podsecurity/checks.js';
import {
  DEFAULT_POLICY,
  LATEST,
  minorVersion,
  parseVersion,
  policyToEvaluate,
  type Level,
} from '../../src/admission/podsecurity/levels.js';
import { isSignificantPodUpdate, PodSecurity, type PodSecurityOptions } from '../../src/admission/podsecurity/plugin.js';
import type { ResourceInfo } from '../../src/scheme/index.js';

type Json = Record<string, any>;

/** The revision of check `id` in force at v1.<minor>. */
function checkAt(id: string, minor: number) {
  const check = DEFAULT_CHECKS.find((c) => c.id === id);
  assert.ok(check, id);
  const version = [...check.versions].reverse().find((v) => v.minimumVersion <= minor);
  assert.ok(version, `${id} at v1.${minor}`);
  return version.checkPod;
}

const c = (name: string, extra: Json = {}) => ({ name, image: 'i', ...extra });
const sc = (securityContext: Json) => ({ securityContext });

interface Case {
  check: string;
  /** Default: the newest revision. */
  minor?: number;
  spec?: Json;
  annotations?: Record<string, string>;
  reason?: string;
  detail?: string;
}

const CASES: Record<string, Case> = {
  'privileged containers': {
    check: 'privileged',
    spec: {
      containers: [
        c('a'),
        c('b', sc({})),
        c('c', sc({ privileged: false })),
        c('d', sc({ privileged: true })),
        c('e', sc({ privileged: true })),
      ],
    },
    reason: 'privileged',
    detail: 'containers "d", "e" must not set securityContext.privileged=true',
  },
  'host namespaces': {
    check: 'hostNamespaces',
    spec: { hostNetwork: true, hostPID: true, hostIPC: true },
    reason: 'host namespaces',
    detail: 'hostNetwork=true, hostPID=true, hostIPC=true',
  },
  'host ports, sorted as strings': {
    check: 'hostPorts',
    spec: {
      containers: [
        c('a', { ports: [{ containerPort: 1 }] }),
        c('b', { ports: [{ hostPort: 20 }, { hostPort: 10 }] }),
        c('c', { ports: [{ hostPort: 30 }, { hostPort: 0 }] }),
      ],
    },
    reason: 'hostPort',
    detail: 'containers "b", "c" use hostPorts 10, 20, 30',
  },
  'one host port': {
    check: 'hostPorts',
    spec: { containers: [c('b', { ports: [{ hostPort: 20 }] })] },
    reason: 'hostPort',
    detail: 'container "b" uses hostPort 20',
  },
  'hostPath volumes': {
    check: 'hostPathVolumes',
    spec: {
      volumes: [
        { name: 'a', hostPath: { path: '/' } },
        { name: 'b', hostPath: { path: '/x' } },
        { name: 'c', emptyDir: {} },
      ],
    },
    reason: 'hostPath volumes',
    detail: 'volumes "a", "b"',
  },
  'capabilities beyond the default set': {
    check: 'capabilities_baseline',
    spec: {
      containers: [
        c('a', sc({ capabilities: { add: ['FOO', 'CHOWN', 'BAR'] } })),
        c('b', sc({ capabilities: { add: ['BAZ', 'FOO'] } })),
        c('c', sc({ capabilities: { add: ['NET_BIND_SERVICE'] } })),
      ],
    },
    reason: 'non-default capabilities',
    detail: 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add',
  },
  'AppArmor field on the pod': {
    check: 'appArmorProfile',
    spec: { securityContext: { appArmorProfile: { type: 'Unconfined' } } },
    reason: 'forbidden AppArmor profile',
    detail: 'pod must not set AppArmor profile type to "Unconfined"',
  },
  'AppArmor annotations, sorted, quoted as Go quotes': {
    check: 'appArmorProfile',
    annotations: {
      'container.apparmor.security.beta.kubernetes.io/': 'bogus',
      'container.apparmor.security.beta.kubernetes.io/a': '',
      'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/c': 'localhost/',
      'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
      'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
    },
    reason: 'forbidden AppArmor profiles',
    detail:
      'annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", ' +
      '"container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown""',
  },
  'SELinux type, user and role on the pod and containers': {
    check: 'seLinuxOptions',
    spec: {
      securityContext: { seLinuxOptions: { type: 'foo' } },
      containers: [
        c('a', sc({ seLinuxOptions: { type: 'container_t' } })),
        c('e', sc({ seLinuxOptions: { type: 'bar' } })),
        c('f', sc({ seLinuxOptions: { user: 'u' } })),
        c('g', sc({ seLinuxOptions: { role: 'r' } })),
      ],
    },
    reason: 'seLinuxOptions',
    detail:
      'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
  },
  'container_engine_t before 1.31': {
    check: 'seLinuxOptions',
    minor: 30,
    spec: { securityContext: { seLinuxOptions: { type: 'container_engine_t' } } },
    reason: 'seLinuxOptions',
    detail: 'pod set forbidden securityContext.seLinuxOptions: type "container_engine_t"',
  },
  'container_engine_t from 1.31': {
    check: 'seLinuxOptions',
    minor: 31,
    spec: { securityContext: { seLinuxOptions: { type: 'container_engine_t' } } },
  },
  'unmasked /proc': {
    check: 'procMount',
    spec: {
      containers: [c('a'), c('b', sc({ procMount: 'Default' })), c('d', sc({ procMount: 'Unmasked' })), c('e', sc({ procMount: 'other' }))],
    },
    reason: 'procMount',
    detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
  },
  'seccomp annotations before 1.19': {
    check: 'seccompProfile_baseline',
    minor: 18,
    annotations: {
      'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/b': 'unknown',
      'container.seccomp.security.alpha.kubernetes.io/c': 'docker/default',
      'container.seccomp.security.alpha.kubernetes.io/z': 'unconfined',
    },
    spec: { containers: [c('a'), c('b'), c('c')] },
    reason: 'seccompProfile',
    detail:
      'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined"',
  },
  'seccomp fields ignore the annotations from 1.19': {
    check: 'seccompProfile_baseline',
    annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' },
  },
  'seccomp Unconfined on the pod and containers (baseline)': {
    check: 'seccompProfile_baseline',
    spec: {
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [c('a'), c('c', sc({ seccompProfile: { type: 'Unconfined' } })), c('d', sc({ seccompProfile: { type: 'Unconfined' } }))],
    },
    reason: 'seccompProfile',
    detail: 'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
  },
  'seccomp missing (restricted)': {
    check: 'seccompProfile_restricted',
    spec: { containers: [c('a'), c('b', sc({})), c('c', sc({ seccompProfile: { type: 'Localhost' } }))] },
    reason: 'seccompProfile',
    detail: 'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
  },
  'seccomp on the pod covers the containers': {
    check: 'seccompProfile_restricted',
    spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [c('a')] },
  },
  'sysctls outside the safe set, in pod order': {
    check: 'sysctls',
    spec: { securityContext: { sysctls: [{ name: 'b' }, { name: 'kernel.shm_rmid_forced' }, { name: 'a' }] } },
    reason: 'forbidden sysctls',
    detail: 'b, a',
  },
  'net.ipv4.ip_local_reserved_ports before 1.27': {
    check: 'sysctls',
    minor: 26,
    spec: { securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports' }] } },
    reason: 'forbidden sysctls',
    detail: 'net.ipv4.ip_local_reserved_ports',
  },
  'tcp_keepalive_time from 1.29, tcp_wmem from 1.32': {
    check: 'sysctls',
    minor: 32,
    spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_keepalive_time' }, { name: 'net.ipv4.tcp_wmem' }] } },
  },
  'Windows hostProcess': {
    check: 'windowsHostProcess',
    spec: {
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [
        c('a'),
        c('c', sc({ windowsOptions: {} })),
        c('d', sc({ windowsOptions: { hostProcess: false } })),
        c('e', sc({ windowsOptions: { hostProcess: true } })),
        c('f', sc({ windowsOptions: { hostProcess: true } })),
      ],
    },
    reason: 'hostProcess',
    detail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true',
  },
  'probe and lifecycle hosts, containers and hosts sorted': {
    check: 'hostProbesAndHostLifecycle',
    spec: {
      initContainers: [c('z', { startupProbe: { tcpSocket: { host: 'b.com', port: 1 } } })],
      containers: [
        c('invalid2', { livenessProbe: { httpGet: { host: 'a.com', port: 1 } }, readinessProbe: { httpGet: { host: '', port: 1 } } }),
        c('invalid1', {
          lifecycle: { preStop: { httpGet: { host: 'a.com', port: 1 } }, postStart: { tcpSocket: { host: 'b.com', port: 1 } } },
        }),
      ],
    },
    reason: 'probe or lifecycle host',
    detail: 'containers "invalid1", "invalid2", "z" use probe or lifecycle hosts "a.com", "b.com"',
  },
  'allowPrivilegeEscalation unset or true': {
    check: 'allowPrivilegeEscalation',
    spec: {
      containers: [c('a'), c('b', sc({})), c('c', sc({ allowPrivilegeEscalation: true })), c('d', sc({ allowPrivilegeEscalation: false }))],
    },
    reason: 'allowPrivilegeEscalation != false',
    detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false',
  },
  'a Windows pod from 1.25': { check: 'allowPrivilegeEscalation', spec: { os: { name: 'windows' }, containers: [c('a')] } },
  'a Windows pod before 1.25': {
    check: 'allowPrivilegeEscalation',
    minor: 24,
    spec: { os: { name: 'windows' }, containers: [c('a')] },
    reason: 'allowPrivilegeEscalation != false',
    detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false',
  },
  'capabilities not dropped, forbidden ones added': {
    check: 'capabilities_restricted',
    spec: {
      containers: [
        c('a', sc({ capabilities: { add: ['FOO', 'BAR'] } })),
        c('b', sc({ capabilities: { drop: ['NET_RAW'], add: ['BAZ'] } })),
        c('c', sc({ capabilities: { drop: ['ALL'], add: ['CHOWN', 'NET_BIND_SERVICE'] } })),
        c('d', sc({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })),
      ],
    },
    reason: 'unrestricted capabilities',
    detail:
      'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
  },
  'no capabilities at all': {
    check: 'capabilities_restricted',
    spec: { containers: [c('a')] },
    reason: 'unrestricted capabilities',
    detail: 'container "a" must set securityContext.capabilities.drop=["ALL"]',
  },
  'restricted volume types, each named once': {
    check: 'restrictedVolumes',
    spec: {
      volumes: [
        { name: 'ok', configMap: {} },
        { name: 'ok2', image: { reference: 'x' } },
        { name: 'a', hostPath: {} },
        { name: 'b', nfs: {} },
        { name: 'c', hostPath: {} },
        { name: 'd', mystery: {} },
      ],
    },
    reason: 'restricted volume types',
    detail: 'volumes "a", "b", "c", "d" use restricted volume types "hostPath", "nfs", "unknown"',
  },
  'runAsNonRoot missing': {
    check: 'runAsNonRoot',
    spec: { containers: [c('a'), c('b', sc({ runAsNonRoot: true }))] },
    reason: 'runAsNonRoot != true',
    detail: 'pod or container "a" must set securityContext.runAsNonRoot=true',
  },
  'runAsNonRoot=false explicitly': {
    check: 'runAsNonRoot',
    spec: {
      securityContext: { runAsNonRoot: false },
      containers: [c('a'), c('c', sc({ runAsNonRoot: false })), c('d', sc({ runAsNonRoot: false }))],
    },
    reason: 'runAsNonRoot != true',
    detail: 'pod and containers "c", "d" must not set securityContext.runAsNonRoot=false',
  },
  'runAsUser=0': {
    check: 'runAsUser',
    spec: {
      securityContext: { runAsUser: 0 },
      containers: [c('a', sc({ runAsUser: 1000 })), c('c', sc({ runAsUser: 0 })), c('d', sc({ runAsUser: 0 }))],
    },
    reason: 'runAsUser=0',
    detail: 'pod and containers "c", "d" must not set runAsUser=0',
  },
  'ephemeral containers are checked too': {
    check: 'privileged',
    spec: { containers: [c('a')], ephemeralContainers: [c('debug', sc({ privileged: true }))] },
    reason: 'privileged',
    detail: 'container "debug" must not set securityContext.privileged=true',
  },
};

describe('PodSecurity checks', () => {
  for (const [title, t] of Object.entries(CASES)) {
    it(title, () => {
      const check = checkAt(t.check, t.minor ?? 99);
      const got: CheckResult = check({ annotations: t.annotations ?? {} }, t.spec ?? { containers: [c('a')] });
      if (t.reason === undefined) assert.deepEqual(got, { allowed: true });
      else assert.deepEqual(got, { allowed: false, forbiddenReason: t.reason, forbiddenDetail: t.detail });
    });
  }

  const evaluator = new Evaluator();
  const reasons = (level: Level, version: string, spec: Json) =>
    aggregate(evaluator.evaluatePod({ level, version: parseVersion(version).version }, {}, spec)).reasons;
  const plain = { containers: [c('a')] };

  it('privileged runs nothing; baseline passes a plain pod; restricted names its own checks after baseline’s', () => {
    assert.deepEqual(reasons('privileged', 'latest', { hostNetwork: true }), []);
    assert.deepEqual(reasons('baseline', 'latest', plain), []);
    assert.deepEqual(reasons('restricted', 'latest', { ...plain, hostPID: true }), [
      'host namespaces',
      'allowPrivilegeEscalation != false',
      'unrestricted capabilities',
      'runAsNonRoot != true',
      'seccompProfile',
    ]);
  });

  it('restricted replaces baseline’s hostPath, capabilities and seccomp checks with its own', () => {
    const spec = {
      volumes: [{ name: 'h', hostPath: {} }],
      containers: [c('a', sc({ capabilities: { add: ['SYS_ADMIN'] }, seccompProfile: { type: 'Unconfined' } }))],
    };
    assert.deepEqual(reasons('baseline', 'latest', spec), ['non-default capabilities', 'hostPath volumes', 'seccompProfile']);
    assert.deepEqual(reasons('restricted', 'latest', spec), [
      'allowPrivilegeEscalation != false',
      'unrestricted capabilities',
      'restricted volume types',
      'runAsNonRoot != true',
      'seccompProfile',
    ]);
  });

  it('older versions run the checks of their time; latest and future versions run the newest', () => {
    const spec = { containers: [c('a', sc({ runAsUser: 0 }))] };
    // v1.0: no allowPrivilegeEscalation (1.8), capabilities (1.22), seccomp (1.19) or runAsUser (1.23) yet.
    assert.deepEqual(reasons('restricted', 'v1.0', spec), ['runAsNonRoot != true']);
    assert.deepEqual(reasons('restricted', 'v1.22', spec), [
      'allowPrivilegeEscalation != false',
      'unrestricted capabilities',
      'runAsNonRoot != true',
      'seccompProfile',
    ]);
    assert.deepEqual(reasons('restricted', 'v1.23', spec).includes('runAsUser=0'), true);
    const probes = { containers: [c('a', { livenessProbe: { httpGet: { host: 'h', port: 1 } } })] };
    assert.deepEqual(reasons('baseline', 'v1.33', probes), []);
    assert.deepEqual(reasons('baseline', 'v1.34', probes), ['probe or lifecycle host']);
    assert.deepEqual(reasons('baseline', 'latest', probes), ['probe or lifecycle host']);
    assert.deepEqual(reasons('baseline', 'v1.99', probes), ['probe or lifecycle host']);
  });

  it('formats the aggregate as kube does: reasons with their details in parentheses', () => {
    const r = aggregate([
      { allowed: true },
      { allowed: false, forbiddenReason: 'a', forbiddenDetail: 'x' },
      { allowed: false, forbiddenReason: '', forbiddenDetail: '' },
    ]);
    assert.equal(forbiddenDetail(r), 'a (x), unknown forbidden reason');
  });
});

describe('PodSecurity levels', () => {
  const PS = 'pod-security.kubernetes.io';
  it('no labels: the defaults', () => {
    assert.deepEqual(policyToEvaluate(undefined, DEFAULT_POLICY), { policy: DEFAULT_POLICY, errors: [] });
  });

  it('warn follows a stricter enforce level and its version, unless warn is set', () => {
    const { policy } = policyToEvaluate({ [`${PS}/enforce`]: 'baseline', [`${PS}/enforce-version`]: 'v1.25' }, DEFAULT_POLICY);
    assert.deepEqual(policy.warn, { level: 'baseline', version: minorVersion(25) });
    const withWarnVersion = policyToEvaluate({ [`${PS}/enforce`]: 'baseline', [`${PS}/warn-version`]: 'v1.20' }, DEFAULT_POLICY).policy;
    assert.deepEqual(withWarnVersion.warn, { level: 'baseline', version: minorVersion(20) });
    const withWarn = policyToEvaluate({ [`${PS}/enforce`]: 'restricted', [`${PS}/warn`]: 'privileged' }, DEFAULT_POLICY).policy;
    assert.deepEqual(withWarn.warn, { level: 'privileged', version: LATEST });
  });

  it('invalid values: kube’s messages; enforce fails closed, audit and warn open', () => {
    const { policy, errors } = policyToEvaluate(
      { [`${PS}/enforce`]: 'bad', [`${PS}/audit`]: 'bad', [`${PS}/warn`]: 'bad', [`${PS}/warn-version`]: 'v1.05' },
      DEFAULT_POLICY,
    );
    assert.equal(policy.enforce.level, 'restricted');
    assert.equal(policy.audit.level, 'privileged');
    assert.equal(policy.warn.level, 'privileged');
    assert.deepEqual(
      errors.map((e) => [e.field, e.value, e.detail]),
      [
        [`metadata.labels[${PS}/enforce]`, 'bad', 'must be one of privileged, baseline, restricted'],
        [`metadata.labels[${PS}/audit]`, 'bad', 'must be one of privileged, baseline, restricted'],
        [`metadata.labels[${PS}/warn]`, 'bad', 'must be one of privileged, baseline, restricted'],
        [`metadata.labels[${PS}/warn-version]`, 'v1.05', 'must be "latest" or "v1.x"'],
      ],
    );
  });

  it('versions: latest, v1.<minor> without leading zeros, up to Go’s int64', () => {
    assert.deepEqual(parseVersion('v1.0'), { version: minorVersion(0) });
    assert.deepEqual(parseVersion('v1.9223372036854775807'), { version: minorVersion(9223372036854775807n) });
    for (const bad of ['v1.9223372036854775808', 'v2.0', '1.30', 'v1.', 'Latest', '']) assert.ok(parseVersion(bad).error, bad);
  });
});

// ---- the plugin over fake namespaces and pods ----

const RESOURCES: Record<string, ResourceInfo> = {
  pods: { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true } as ResourceInfo,
  namespaces: { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false } as ResourceInfo,
  deployments: { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true } as ResourceInfo,
};

interface Recorded {
  warnings: string[];
  annotations: Record<string, string>;
}

function attributes(over: Partial<AdmissionAttributes> & { resource: ResourceInfo }, recorded: Recorded): AdmissionAttributes {
  return {
    operation: 'CREATE',
    subresource: '',
    namespace: 'ns',
    name: 'p',
    dryRun: false,
    user: { name: 'alice', uid: '', groups: [] } as unknown as AdmissionAttributes['user'],
    warn: (m) => void recorded.warnings.push(m),
    annotate: (k, v) => void (recorded.annotations[k] = v),
    ...over,
  };
}

const PRIV_POD = { metadata: { name: 'p' }, spec: { containers: [c('c', sc({ privileged: true }))] } };

function plugin(labels: Record<string, string> | undefined, extra: Partial<PodSecurityOptions> = {}, pods: Json[] = []) {
  return new PodSecurity({
    namespace: async (name) => (labels === undefined ? undefined : { metadata: { name, labels } }),
    pods: async () => pods,
    ...extra,
  });
}

async function outcome(p: PodSecurity, a: Partial<AdmissionAttributes> & { resource: ResourceInfo }) {
  const recorded: Recorded = { warnings: [], annotations: {} };
  let error: unknown;
  try {
    await p.validate(attributes(a, recorded));
  } catch (e) {
    error = e;
  }
  return { ...recorded, error: error as { status?: { code: number; reason?: string; message: string; details?: unknown } } | undefined };
}

describe('PodSecurity plugin', () => {
  const PS = 'pod-security.kubernetes.io';

  it('enforce refuses with kube’s 403 and annotates the enforced policy; no warning on a refusal', async () => {
    const got = await outcome(plugin({ [`${PS}/enforce`]: 'baseline' }), { resource: RESOURCES.pods, object: PRIV_POD });
    assert.equal(got.error?.status?.code, 403);
    assert.equal(
      got.error?.status?.message,
      'pods "p" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)',
    );
    assert.deepEqual(got.error?.status?.details, { name: 'p', kind: 'pods' });
    assert.deepEqual(got.warnings, []);
    assert.deepEqual(got.annotations, { [`${PS}/enforce-policy`]: 'baseline:latest' });
  });

  it('audit annotates the violations; warn warns; the request passes', async () => {
    const got = await outcome(plugin({ [`${PS}/audit`]: 'baseline', [`${PS}/warn`]: 'baseline', [`${PS}/warn-version`]: 'v1.30' }), {
      resource: RESOURCES.pods,
      object: PRIV_POD,
    });
    assert.equal(got.error, undefined);
    assert.deepEqual(got.warnings, [
      'would violate PodSecurity "baseline:v1.30": privileged (container "c" must not set securityContext.privileged=true)',
    ]);
    assert.deepEqual(got.annotations, {
      [`${PS}/enforce-policy`]: 'privileged:latest',
      [`${PS}/audit-violations`]:
        'would violate PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)',
    });
  });

  it('a fully privileged namespace only annotates privileged:latest', async () => {
    const got = await outcome(plugin({}), { resource: RESOURCES.pods, object: PRIV_POD });
    assert.deepEqual(got, { warnings: [], annotations: { [`${PS}/enforce-policy`]: 'privileged:latest' }, error: undefined });
  });

  it('a namespace with invalid labels (set before) enforces restricted and annotates the error', async () => {
    const got = await outcome(plugin({ [`${PS}/enforce`]: 'nope' }), {
      resource: RESOURCES.pods,
      object: { spec: { containers: [c('c')] } },
    });
    assert.equal(got.error?.status?.code, 403);
    assert.match(got.error!.status!.message, /violates PodSecurity "restricted:latest"/);
    assert.equal(
      got.annotations[`${PS}/error`],
      `Failed to parse policy: metadata.labels[${PS}/enforce]: Invalid value: "nope": must be one of privileged, baseline, restricted`,
    );
  });

  it('a missing namespace: 500 for pods, an audited pass for workloads', async () => {
    const pod = await outcome(plugin(undefined), { resource: RESOURCES.pods, object: PRIV_POD });
    assert.equal(pod.error?.status?.code, 500);
    assert.equal(pod.error?.status?.message, 'Internal error occurred: failed to lookup namespace "ns"');
    const deploy = await outcome(plugin(undefined), { resource: RESOURCES.deployments, object: { spec: { template: PRIV_POD } } });
    assert.equal(deploy.error, undefined);
    assert.deepEqual(deploy.annotations, { [`${PS}/error`]: 'failed to lookup namespace "ns": namespaces "ns" not found' });
  });

  it('workloads are warned and audited under enforce, never refused, and carry no enforce-policy', async () => {
    const got = await outcome(plugin({ [`${PS}/enforce`]: 'baseline' }), {
      resource: RESOURCES.deployments,
      object: { spec: { template: PRIV_POD } },
    });
    assert.equal(got.error, undefined);
    assert.deepEqual(got.warnings, [
      'would violate PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)',
    ]);
    assert.deepEqual(got.annotations, {});
    const scale = await outcome(plugin({ [`${PS}/enforce`]: 'baseline' }), {
      resource: RESOURCES.deployments,
      subresource: 'scale',
      object: {},
    });
    assert.deepEqual(scale.warnings, []);
  });

  it('ignores status, binding and the other read-only subresources, but checks ephemeralcontainers', async () => {
    const p = plugin({ [`${PS}/enforce`]: 'baseline' });
    for (const subresource of ['status', 'binding', 'eviction', 'exec']) {
      const got = await outcome(p, { resource: RESOURCES.pods, operation: 'UPDATE', subresource, object: PRIV_POD, oldObject: PRIV_POD });
      assert.equal(got.error, undefined, subresource);
    }
    const old = { metadata: { name: 'p' }, spec: { containers: [c('c')] } };
    const withDebug = { ...old, spec: { ...old.spec, ephemeralContainers: [c('debug', sc({ privileged: true }))] } };
    const got = await outcome(p, {
      resource: RESOURCES.pods,
      operation: 'UPDATE',
      subresource: 'ephemeralcontainers',
      object: withDebug,
      oldObject: old,
    });
    assert.equal(got.error?.status?.code, 403);
  });

  it('updates are checked only when an image changes or a container is added', () => {
    const spec = { containers: [c('a')], initContainers: [c('i')], ephemeralContainers: [c('e')] };
    assert.equal(isSignificantPodUpdate(spec, spec), false);
    assert.equal(isSignificantPodUpdate({ ...spec, activeDeadlineSeconds: 1 }, spec), false);
    assert.equal(isSignificantPodUpdate({ ...spec, containers: [c('a', { image: 'j' })] }, spec), true);
    assert.equal(isSignificantPodUpdate({ ...spec, initContainers: [] }, spec), true);
    assert.equal(isSignificantPodUpdate({ ...spec, ephemeralContainers: [c('e'), c('f')] }, spec), true);
  });

  it('exemptions: users, namespaces and runtime classes pass with the reason audited', async () => {
    const p = plugin({ [`${PS}/enforce`]: 'restricted' }, { exemptions: { usernames: ['alice'] } });
    assert.deepEqual((await outcome(p, { resource: RESOURCES.pods, object: PRIV_POD })).annotations, { [`${PS}/exempt`]: 'user' });
    const ns = plugin({ [`${PS}/enforce`]: 'restricted' }, { exemptions: { namespaces: ['ns'] } });
    assert.deepEqual((await outcome(ns, { resource: RESOURCES.pods, object: PRIV_POD })).annotations, { [`${PS}/exempt`]: 'namespace' });
    const rc = plugin({ [`${PS}/enforce`]: 'restricted' }, { exemptions: { runtimeClasses: ['kata'] } });
    const kata = { ...PRIV_POD, spec: { ...PRIV_POD.spec, runtimeClassName: 'kata' } };
    assert.deepEqual((await outcome(rc, { resource: RESOURCES.pods, object: kata })).annotations, { [`${PS}/exempt`]: 'runtimeClass' });
  });

  it('an exempt namespace labelled with a policy is told it is ignored', async () => {
    const p = plugin({}, { exemptions: { namespaces: ['kube-system'] } });
    const got = await outcome(p, {
      resource: RESOURCES.namespaces,
      namespace: 'kube-system',
      name: 'kube-system',
      object: { metadata: { name: 'kube-system', labels: { [`${PS}/enforce`]: 'baseline', [`${PS}/warn`]: 'restricted' } } },
    });
    assert.deepEqual(got.warnings, [
      'namespace "kube-system" is exempt from Pod Security, and the policy (enforce=baseline:latest, warn=restricted:latest) will be ignored',
    ]);
  });

  it('namespace updates: invalid labels refused only when they change', async () => {
    const bad = { metadata: { name: 'ns', labels: { [`${PS}/enforce`]: 'bad' } } };
    const p = plugin({});
    const created = await outcome(p, { resource: RESOURCES.namespaces, name: 'ns', object: bad });
    assert.equal(created.error?.status?.code, 422);
    assert.equal(
      created.error?.status?.message,
      `Namespace "ns" is invalid: metadata.labels[${PS}/enforce]: Invalid value: "bad": must be one of privileged, baseline, restricted`,
    );
    const unchanged = { ...bad, metadata: { ...bad.metadata, annotations: { a: 'b' } } };
    assert.equal(
      (await outcome(p, { resource: RESOURCES.namespaces, operation: 'UPDATE', name: 'ns', object: unchanged, oldObject: bad })).error,
      undefined,
    );
  });

  it('a stricter enforce label lists the existing pods that violate it, counted per violation', async () => {
    const pod = (name: string, spec: Json, owner?: string) => ({
      metadata: { name, ...(owner && { ownerReferences: [{ controller: true, uid: owner }] }) },
      spec,
    });
    const priv = { containers: [c('c', sc({ privileged: true }))] };
    const pods = [
      pod('p3', priv),
      pod('p1', priv),
      pod('p2', priv, 'rs'),
      pod('h', { hostIPC: true, containers: [c('c')] }),
      pod('ok', { containers: [c('c')] }),
    ];
    const p = plugin({}, {}, pods);
    const change = (labels: Record<string, string>, oldLabels: Record<string, string> = {}) =>
      outcome(p, {
        resource: RESOURCES.namespaces,
        operation: 'UPDATE',
        name: 'ns',
        object: { metadata: { name: 'ns', labels } },
        oldObject: { metadata: { name: 'ns', labels: oldLabels } },
      });
    assert.deepEqual((await change({ [`${PS}/enforce`]: 'baseline' })).warnings, [
      'existing pods in namespace "ns" violate the new PodSecurity enforce level "baseline:latest"',
      'h: host namespaces',
      'p1 (and 2 other pods): privileged',
    ]);
    // Relaxing, or keeping the same enforce level, checks nothing.
    assert.deepEqual((await change({ [`${PS}/enforce`]: 'baseline' }, { [`${PS}/enforce`]: 'restricted' })).warnings, []);
    assert.deepEqual(
      (await change({ [`${PS}/enforce`]: 'baseline', [`${PS}/warn`]: 'restricted' }, { [`${PS}/enforce`]: 'baseline' })).warnings,
      [],
    );
    // A limit on the pods checked is reported first; one pod per controller is checked before its replicas.
    const limited = plugin({}, { namespaceMaxPodsToCheck: 2 }, [
      pod('r1', priv, 'rs'),
      pod('r2', priv, 'rs'),
      pod('h', { hostIPC: true, containers: [c('c')] }),
    ]);
    const got = await outcome(limited, {
      resource: RESOURCES.namespaces,
      operation: 'UPDATE',
      name: 'ns',
      object: { metadata: { name: 'ns', labels: { [`${PS}/enforce`]: 'baseline' } } },
      oldObject: { metadata: { name: 'ns' } },
    });
    assert.deepEqual(got.warnings, [
      'new PodSecurity enforce level only checked against the first 2 of 3 existing pods',
      'existing pods in namespace "ns" violate the new PodSecurity enforce level "baseline:latest"',
      'h: host namespaces',
      'r1: privileged',
    ]);
    // The time budget ends the walk after the pod being checked.
    let clock = 0;
    const slow = plugin({}, { now: () => (clock += 600) }, pods);
    const timed = await outcome(slow, {
      resource: RESOURCES.namespaces,
      operation: 'UPDATE',
      name: 'ns',
      object: { metadata: { name: 'ns', labels: { [`${PS}/enforce`]: 'baseline' } } },
      oldObject: { metadata: { name: 'ns' } },
    });
    assert.equal(timed.warnings[0], 'new PodSecurity enforce level only checked against the first 2 of 5 existing pods');
  });

  it('DELETE and CONNECT are not its business', async () => {
    const p = plugin({ [`${PS}/enforce`]: 'restricted' });
    assert.equal(
      await p.evaluate(
        attributes({ resource: RESOURCES.pods, operation: 'DELETE', oldObject: PRIV_POD }, { warnings: [], annotations: {} }),
      ),
      undefined,
    );
  });
});
