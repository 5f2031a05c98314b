// A v1 PodTemplateSpec rendered as kube-apiserver v1.34 renders the internal core.PodTemplateSpec inside a field
// error's message (pkg/apis/core/types.go: json.Marshal of the untagged internal structs, so Go field names in
// declaration order, nil as null, zero values spelled out; the embedded ObjectMeta keeps its json tags and is inlined).
// Used where kube reports a whole template as the bad value (a Job's immutable spec.template). The structs a
// defaulted template usually holds are laid out field by field; rarer nested values keep their v1 JSON.
type Json = Record<string, any>;

/** A Go struct: each [GoName, v1 json name, zero value] in declaration order; absent pointers/slices/maps are null. */
type Layout = readonly (readonly [string, string, unknown])[];

function render(layout: Layout, v1: Json, nested: Readonly<Record<string, (v: any) => unknown>> = {}): Json {
  const out: Json = {};
  for (const [goName, jsonName, zero] of layout) {
    const value = v1[jsonName];
    out[goName] = value === undefined || value === null ? zero : nested[goName] ? nested[goName](value) : value;
  }
  return out;
}

const list =
  (layout: Layout, nested?: Readonly<Record<string, (v: any) => unknown>>) =>
  (values: any[]): unknown =>
    values.map((v) => render(layout, v ?? {}, nested));

const RESOURCES: Layout = [
  ['Limits', 'limits', null],
  ['Requests', 'requests', null],
  ['Claims', 'claims', null],
];

const CONTAINER_PORT: Layout = [
  ['Name', 'name', ''],
  ['HostPort', 'hostPort', 0],
  ['ContainerPort', 'containerPort', 0],
  ['Protocol', 'protocol', ''],
  ['HostIP', 'hostIP', ''],
];

const ENV_VAR: Layout = [
  ['Name', 'name', ''],
  ['Value', 'value', ''],
  ['ValueFrom', 'valueFrom', null],
];

const VOLUME_MOUNT: Layout = [
  ['Name', 'name', ''],
  ['ReadOnly', 'readOnly', false],
  ['RecursiveReadOnly', 'recursiveReadOnly', null],
  ['MountPath', 'mountPath', ''],
  ['SubPath', 'subPath', ''],
  ['MountPropagation', 'mountPropagation', null],
  ['SubPathExpr', 'subPathExpr', ''],
];

const CONTAINER: Layout = [
  ['Name', 'name', ''],
  ['Image', 'image', ''],
  ['Command', 'command', null],
  ['Args', 'args', null],
  ['WorkingDir', 'workingDir', ''],
  ['Ports', 'ports', null],
  ['EnvFrom', 'envFrom', null],
  ['Env', 'env', null],
  ['Resources', 'resources', { Limits: null, Requests: null, Claims: null }],
  ['ResizePolicy', 'resizePolicy', null],
  ['RestartPolicy', 'restartPolicy', null],
  ['RestartPolicyRules', 'restartPolicyRules', null],
  ['VolumeMounts', 'volumeMounts', null],
  ['VolumeDevices', 'volumeDevices', null],
  ['LivenessProbe', 'livenessProbe', null],
  ['ReadinessProbe', 'readinessProbe', null],
  ['StartupProbe', 'startupProbe', null],
  ['Lifecycle', 'lifecycle', null],
  ['TerminationMessagePath', 'terminationMessagePath', ''],
  ['TerminationMessagePolicy', 'terminationMessagePolicy', ''],
  ['ImagePullPolicy', 'imagePullPolicy', ''],
  ['SecurityContext', 'securityContext', null],
  ['Stdin', 'stdin', false],
  ['StdinOnce', 'stdinOnce', false],
  ['TTY', 'tty', false],
];

const CONTAINER_NESTED = {
  Ports: list(CONTAINER_PORT),
  Env: list(ENV_VAR),
  Resources: (v: Json) => render(RESOURCES, v),
  VolumeMounts: list(VOLUME_MOUNT),
};

/** core.PodSecurityContext also holds the v1 PodSpec's host namespace fields. */
const POD_SECURITY_CONTEXT: Layout = [
  ['HostNetwork', 'hostNetwork', false],
  ['HostPID', 'hostPID', false],
  ['HostIPC', 'hostIPC', false],
  ['ShareProcessNamespace', 'shareProcessNamespace', null],
  ['HostUsers', 'hostUsers', null],
  ['SELinuxOptions', 'seLinuxOptions', null],
  ['WindowsOptions', 'windowsOptions', null],
  ['RunAsUser', 'runAsUser', null],
  ['RunAsGroup', 'runAsGroup', null],
  ['RunAsNonRoot', 'runAsNonRoot', null],
  ['SupplementalGroups', 'supplementalGroups', null],
  ['SupplementalGroupsPolicy', 'supplementalGroupsPolicy', null],
  ['FSGroup', 'fsGroup', null],
  ['FSGroupChangePolicy', 'fsGroupChangePolicy', null],
  ['Sysctls', 'sysctls', null],
  ['SeccompProfile', 'seccompProfile', null],
  ['AppArmorProfile', 'appArmorProfile', null],
  ['SELinuxChangePolicy', 'seLinuxChangePolicy', null],
];

/** core.Volume: its name, then the embedded VolumeSource's members inlined (only simple sources laid out further). */
const VOLUME: Layout = [
  ['Name', 'name', ''],
  ...(
    [
      ['HostPath', 'hostPath'],
      ['EmptyDir', 'emptyDir'],
      ['GCEPersistentDisk', 'gcePersistentDisk'],
      ['AWSElasticBlockStore', 'awsElasticBlockStore'],
      ['GitRepo', 'gitRepo'],
      ['Secret', 'secret'],
      ['NFS', 'nfs'],
      ['ISCSI', 'iscsi'],
      ['Glusterfs', 'glusterfs'],
      ['PersistentVolumeClaim', 'persistentVolumeClaim'],
      ['RBD', 'rbd'],
      ['Quobyte', 'quobyte'],
      ['FlexVolume', 'flexVolume'],
      ['Cinder', 'cinder'],
      ['CephFS', 'cephfs'],
      ['Flocker', 'flocker'],
      ['DownwardAPI', 'downwardAPI'],
      ['FC', 'fc'],
      ['AzureFile', 'azureFile'],
      ['ConfigMap', 'configMap'],
      ['VsphereVolume', 'vsphereVolume'],
      ['AzureDisk', 'azureDisk'],
      ['PhotonPersistentDisk', 'photonPersistentDisk'],
      ['Projected', 'projected'],
      ['PortworxVolume', 'portworxVolume'],
      ['ScaleIO', 'scaleIO'],
      ['StorageOS', 'storageos'],
      ['CSI', 'csi'],
      ['Ephemeral', 'ephemeral'],
      ['Image', 'image'],
    ] as const
  ).map(([goName, jsonName]) => [goName, jsonName, null] as const),
];

const VOLUME_NESTED = {
  EmptyDir: (v: Json) =>
    render(
      [
        ['Medium', 'medium', ''],
        ['SizeLimit', 'sizeLimit', null],
      ],
      v,
    ),
  HostPath: (v: Json) =>
    render(
      [
        ['Path', 'path', ''],
        ['Type', 'type', null],
      ],
      v,
    ),
  PersistentVolumeClaim: (v: Json) =>
    render(
      [
        ['ClaimName', 'claimName', ''],
        ['ReadOnly', 'readOnly', false],
      ],
      v,
    ),
};

const TOLERATION: Layout = [
  ['Key', 'key', ''],
  ['Operator', 'operator', ''],
  ['Value', 'value', ''],
  ['Effect', 'effect', ''],
  ['TolerationSeconds', 'tolerationSeconds', null],
];

const POD_SPEC: Layout = [
  ['Volumes', 'volumes', null],
  ['InitContainers', 'initContainers', null],
  ['Containers', 'containers', null],
  ['EphemeralContainers', 'ephemeralContainers', null],
  ['RestartPolicy', 'restartPolicy', ''],
  ['TerminationGracePeriodSeconds', 'terminationGracePeriodSeconds', null],
  ['ActiveDeadlineSeconds', 'activeDeadlineSeconds', null],
  ['DNSPolicy', 'dnsPolicy', ''],
  ['NodeSelector', 'nodeSelector', null],
  ['ServiceAccountName', 'serviceAccountName', ''],
  ['AutomountServiceAccountToken', 'automountServiceAccountToken', null],
  ['NodeName', 'nodeName', ''],
  ['SecurityContext', 'securityContext', null],
  ['ImagePullSecrets', 'imagePullSecrets', null],
  ['Hostname', 'hostname', ''],
  ['Subdomain', 'subdomain', ''],
  ['SetHostnameAsFQDN', 'setHostnameAsFQDN', null],
  ['Affinity', 'affinity', null],
  ['SchedulerName', 'schedulerName', ''],
  ['Tolerations', 'tolerations', null],
  ['HostAliases', 'hostAliases', null],
  ['PriorityClassName', 'priorityClassName', ''],
  ['Priority', 'priority', null],
  ['PreemptionPolicy', 'preemptionPolicy', null],
  ['DNSConfig', 'dnsConfig', null],
  ['ReadinessGates', 'readinessGates', null],
  ['RuntimeClassName', 'runtimeClassName', null],
  ['Overhead', 'overhead', null],
  ['EnableServiceLinks', 'enableServiceLinks', null],
  ['TopologySpreadConstraints', 'topologySpreadConstraints', null],
  ['OS', 'os', null],
  ['SchedulingGates', 'schedulingGates', null],
  ['ResourceClaims', 'resourceClaims', null],
  ['Resources', 'resources', null],
  ['HostnameOverride', 'hostnameOverride', null],
];

function internalPodSpec(spec: Json): Json {
  // Conversion moves the host namespace fields into the (then always present) internal security context.
  const hostFields = ['hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'hostUsers'];
  const hasSecurity = spec.securityContext != null || hostFields.some((k) => spec[k] != null);
  const security = hasSecurity ? { ...(spec.securityContext ?? {}), ...Object.fromEntries(hostFields.map((k) => [k, spec[k]])) } : null;
  const containers = list(CONTAINER, CONTAINER_NESTED);
  return render(
    POD_SPEC,
    { ...spec, serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount, securityContext: security },
    {
      Volumes: list(VOLUME, VOLUME_NESTED),
      InitContainers: containers,
      Containers: containers,
      SecurityContext: (v: Json) => render(POD_SECURITY_CONTEXT, v),
      Tolerations: list(TOLERATION),
      ImagePullSecrets: list([['Name', 'name', '']]),
      Resources: (v: Json) => render(RESOURCES, v),
    },
  );
}

/** The internal core.PodTemplateSpec of a v1 template: ObjectMeta's set fields inlined, then `Spec`. */
export function internalPodTemplateSpec(template: Json | undefined): Json {
  const { creationTimestamp: _ignored, ...meta } = template?.metadata ?? {};
  return { ...meta, Spec: internalPodSpec(template?.spec ?? {}) };
}
