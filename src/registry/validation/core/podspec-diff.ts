// The diff kube-apiserver appends to a refused pod update (pkg/apis/core/validation/validation.go ValidatePodUpdate:
// `diff.Diff(oldPod.Spec, mungedPodSpec)`, k8s.io/apimachinery/pkg/util/diff): both internal core.PodSpec values
// JSON-encoded with one-space indentation (Go field names, as the internal types carry no JSON tags), then a
// unified diff with three lines of context by github.com/pmezard/go-difflib (a port of Python's difflib).
// kgate holds pods as v1 JSON, so the internal struct is rebuilt from LAYOUT: each internal type's exported fields
// in declaration order with the v1 JSON name each is read from, transcribed from pkg/apis/core/types.go (v1.34.4).
import { formatQuantity, parseQuantity } from '../../../apimachinery/quantity.js';

type Json = Record<string, any>;

/**
 * `GoName=v1name:type`, types: s string, i integer, b bool, f float, q Quantity, n IntOrString, t metav1.Time,
 * B []byte, *T pointer, []T slice, map:T map with string keys, {Name} struct, ~T embedded struct (its fields are
 * inlined; read from the v1 field named, or from the same v1 object when the name is empty). A type opening with
 * `@` is a metav1 type with its own JSON tags (the v1 name then is the tag; `?` marks omitempty).
 */
const LAYOUT: Record<string, string> = {
  PodTemplateSpec: 'ObjectMeta=metadata:~{ObjectMeta} Spec=spec:{PodSpec}',
  PodSpec:
    'Volumes=volumes:[]{Volume} InitContainers=initContainers:[]{Container} Containers=containers:[]{Container} EphemeralContainers=ephemeralContainers:[]{EphemeralContainer} RestartPolicy=restartPolicy:s TerminationGracePeriodSeconds=terminationGracePeriodSeconds:*i ActiveDeadlineSeconds=activeDeadlineSeconds:*i DNSPolicy=dnsPolicy:s NodeSelector=nodeSelector:map:s ServiceAccountName=serviceAccountName:s AutomountServiceAccountToken=automountServiceAccountToken:*b NodeName=nodeName:s SecurityContext=securityContext:*{PodSecurityContext} ImagePullSecrets=imagePullSecrets:[]{LocalObjectReference} Hostname=hostname:s Subdomain=subdomain:s SetHostnameAsFQDN=setHostnameAsFQDN:*b Affinity=affinity:*{Affinity} SchedulerName=schedulerName:s Tolerations=tolerations:[]{Toleration} HostAliases=hostAliases:[]{HostAlias} PriorityClassName=priorityClassName:s Priority=priority:*i PreemptionPolicy=preemptionPolicy:*s DNSConfig=dnsConfig:*{PodDNSConfig} ReadinessGates=readinessGates:[]{PodReadinessGate} RuntimeClassName=runtimeClassName:*s Overhead=overhead:map:q EnableServiceLinks=enableServiceLinks:*b TopologySpreadConstraints=topologySpreadConstraints:[]{TopologySpreadConstraint} OS=os:*{PodOS} SchedulingGates=schedulingGates:[]{PodSchedulingGate} ResourceClaims=resourceClaims:[]{PodResourceClaim} Resources=resources:*{ResourceRequirements} HostnameOverride=hostnameOverride:*s',
  Volume: 'Name=name:s VolumeSource=:~{VolumeSource}',
  VolumeSource:
    'HostPath=hostPath:*{HostPathVolumeSource} EmptyDir=emptyDir:*{EmptyDirVolumeSource} GCEPersistentDisk=gcePersistentDisk:*{GCEPersistentDiskVolumeSource} AWSElasticBlockStore=awsElasticBlockStore:*{AWSElasticBlockStoreVolumeSource} GitRepo=gitRepo:*{GitRepoVolumeSource} Secret=secret:*{SecretVolumeSource} NFS=nfs:*{NFSVolumeSource} ISCSI=iscsi:*{ISCSIVolumeSource} Glusterfs=glusterfs:*{GlusterfsVolumeSource} PersistentVolumeClaim=persistentVolumeClaim:*{PersistentVolumeClaimVolumeSource} RBD=rbd:*{RBDVolumeSource} Quobyte=quobyte:*{QuobyteVolumeSource} FlexVolume=flexVolume:*{FlexVolumeSource} Cinder=cinder:*{CinderVolumeSource} CephFS=cephfs:*{CephFSVolumeSource} Flocker=flocker:*{FlockerVolumeSource} DownwardAPI=downwardAPI:*{DownwardAPIVolumeSource} FC=fc:*{FCVolumeSource} AzureFile=azureFile:*{AzureFileVolumeSource} ConfigMap=configMap:*{ConfigMapVolumeSource} VsphereVolume=vsphereVolume:*{VsphereVirtualDiskVolumeSource} AzureDisk=azureDisk:*{AzureDiskVolumeSource} PhotonPersistentDisk=photonPersistentDisk:*{PhotonPersistentDiskVolumeSource} Projected=projected:*{ProjectedVolumeSource} PortworxVolume=portworxVolume:*{PortworxVolumeSource} ScaleIO=scaleIO:*{ScaleIOVolumeSource} StorageOS=storageos:*{StorageOSVolumeSource} CSI=csi:*{CSIVolumeSource} Ephemeral=ephemeral:*{EphemeralVolumeSource} Image=image:*{ImageVolumeSource}',
  HostPathVolumeSource: 'Path=path:s Type=type:*s',
  EmptyDirVolumeSource: 'Medium=medium:s SizeLimit=sizeLimit:*q',
  GCEPersistentDiskVolumeSource: 'PDName=pdName:s FSType=fsType:s Partition=partition:i ReadOnly=readOnly:b',
  AWSElasticBlockStoreVolumeSource: 'VolumeID=volumeID:s FSType=fsType:s Partition=partition:i ReadOnly=readOnly:b',
  GitRepoVolumeSource: 'Repository=repository:s Revision=revision:s Directory=directory:s',
  SecretVolumeSource: 'SecretName=secretName:s Items=items:[]{KeyToPath} DefaultMode=defaultMode:*i Optional=optional:*b',
  KeyToPath: 'Key=key:s Path=path:s Mode=mode:*i',
  NFSVolumeSource: 'Server=server:s Path=path:s ReadOnly=readOnly:b',
  ISCSIVolumeSource:
    'TargetPortal=targetPortal:s IQN=iqn:s Lun=lun:i ISCSIInterface=iscsiInterface:s FSType=fsType:s ReadOnly=readOnly:b Portals=portals:[]s DiscoveryCHAPAuth=chapAuthDiscovery:b SessionCHAPAuth=chapAuthSession:b SecretRef=secretRef:*{LocalObjectReference} InitiatorName=initiatorName:*s',
  LocalObjectReference: 'Name=name:s',
  GlusterfsVolumeSource: 'EndpointsName=endpoints:s Path=path:s ReadOnly=readOnly:b',
  PersistentVolumeClaimVolumeSource: 'ClaimName=claimName:s ReadOnly=readOnly:b',
  RBDVolumeSource:
    'CephMonitors=monitors:[]s RBDImage=image:s FSType=fsType:s RBDPool=pool:s RadosUser=user:s Keyring=keyring:s SecretRef=secretRef:*{LocalObjectReference} ReadOnly=readOnly:b',
  QuobyteVolumeSource: 'Registry=registry:s Volume=volume:s ReadOnly=readOnly:b User=user:s Group=group:s Tenant=tenant:s',
  FlexVolumeSource: 'Driver=driver:s FSType=fsType:s SecretRef=secretRef:*{LocalObjectReference} ReadOnly=readOnly:b Options=options:map:s',
  CinderVolumeSource: 'VolumeID=volumeID:s FSType=fsType:s ReadOnly=readOnly:b SecretRef=secretRef:*{LocalObjectReference}',
  CephFSVolumeSource:
    'Monitors=monitors:[]s Path=path:s User=user:s SecretFile=secretFile:s SecretRef=secretRef:*{LocalObjectReference} ReadOnly=readOnly:b',
  FlockerVolumeSource: 'DatasetName=datasetName:s DatasetUUID=datasetUUID:s',
  DownwardAPIVolumeSource: 'Items=items:[]{DownwardAPIVolumeFile} DefaultMode=defaultMode:*i',
  DownwardAPIVolumeFile:
    'Path=path:s FieldRef=fieldRef:*{ObjectFieldSelector} ResourceFieldRef=resourceFieldRef:*{ResourceFieldSelector} Mode=mode:*i',
  ObjectFieldSelector: 'APIVersion=apiVersion:s FieldPath=fieldPath:s',
  ResourceFieldSelector: 'ContainerName=containerName:s Resource=resource:s Divisor=divisor:q',
  FCVolumeSource: 'TargetWWNs=targetWWNs:[]s Lun=lun:*i FSType=fsType:s ReadOnly=readOnly:b WWIDs=wwids:[]s',
  AzureFileVolumeSource: 'SecretName=secretName:s ShareName=shareName:s ReadOnly=readOnly:b',
  ConfigMapVolumeSource:
    'LocalObjectReference=:~{LocalObjectReference} Items=items:[]{KeyToPath} DefaultMode=defaultMode:*i Optional=optional:*b',
  VsphereVirtualDiskVolumeSource:
    'VolumePath=volumePath:s FSType=fsType:s StoragePolicyName=storagePolicyName:s StoragePolicyID=storagePolicyID:s',
  AzureDiskVolumeSource:
    'DiskName=diskName:s DataDiskURI=diskURI:s CachingMode=cachingMode:*s FSType=fsType:*s ReadOnly=readOnly:*b Kind=kind:*s',
  PhotonPersistentDiskVolumeSource: 'PdID=pdID:s FSType=fsType:s',
  ProjectedVolumeSource: 'Sources=sources:[]{VolumeProjection} DefaultMode=defaultMode:*i',
  VolumeProjection:
    'Secret=secret:*{SecretProjection} DownwardAPI=downwardAPI:*{DownwardAPIProjection} ConfigMap=configMap:*{ConfigMapProjection} ServiceAccountToken=serviceAccountToken:*{ServiceAccountTokenProjection} ClusterTrustBundle=clusterTrustBundle:*{ClusterTrustBundleProjection} PodCertificate=podCertificate:*{PodCertificateProjection}',
  SecretProjection: 'LocalObjectReference=:~{LocalObjectReference} Items=items:[]{KeyToPath} Optional=optional:*b',
  DownwardAPIProjection: 'Items=items:[]{DownwardAPIVolumeFile}',
  ConfigMapProjection: 'LocalObjectReference=:~{LocalObjectReference} Items=items:[]{KeyToPath} Optional=optional:*b',
  ServiceAccountTokenProjection: 'Audience=audience:s ExpirationSeconds=expirationSeconds:i Path=path:s',
  ClusterTrustBundleProjection:
    'Name=name:*s SignerName=signerName:*s LabelSelector=labelSelector:*{LabelSelector} Optional=optional:*b Path=path:s',
  LabelSelector: '@ MatchLabels=matchLabels?:map:s MatchExpressions=matchExpressions?:[]{LabelSelectorRequirement}',
  LabelSelectorRequirement: '@ Key=key:s Operator=operator:s Values=values?:[]s',
  PodCertificateProjection:
    'SignerName=signerName:s KeyType=keyType:s MaxExpirationSeconds=maxExpirationSeconds:*i CredentialBundlePath=credentialBundlePath:s KeyPath=keyPath:s CertificateChainPath=certificateChainPath:s',
  PortworxVolumeSource: 'VolumeID=volumeID:s FSType=fsType:s ReadOnly=readOnly:b',
  ScaleIOVolumeSource:
    'Gateway=gateway:s System=system:s SecretRef=secretRef:*{LocalObjectReference} SSLEnabled=sslEnabled:b ProtectionDomain=protectionDomain:s StoragePool=storagePool:s StorageMode=storageMode:s VolumeName=volumeName:s FSType=fsType:s ReadOnly=readOnly:b',
  StorageOSVolumeSource:
    'VolumeName=volumeName:s VolumeNamespace=volumeNamespace:s FSType=fsType:s ReadOnly=readOnly:b SecretRef=secretRef:*{LocalObjectReference}',
  CSIVolumeSource:
    'Driver=driver:s ReadOnly=readOnly:*b FSType=fsType:*s VolumeAttributes=volumeAttributes:map:s NodePublishSecretRef=nodePublishSecretRef:*{LocalObjectReference}',
  EphemeralVolumeSource: 'VolumeClaimTemplate=volumeClaimTemplate:*{PersistentVolumeClaimTemplate}',
  PersistentVolumeClaimTemplate: 'ObjectMeta=metadata:~{ObjectMeta} Spec=spec:{PersistentVolumeClaimSpec}',
  ObjectMeta:
    '@ Name=name?:s GenerateName=generateName?:s Namespace=namespace?:s SelfLink=selfLink?:s UID=uid?:s ResourceVersion=resourceVersion?:s Generation=generation?:i CreationTimestamp=creationTimestamp?:t DeletionTimestamp=deletionTimestamp?:*t DeletionGracePeriodSeconds=deletionGracePeriodSeconds?:*i Labels=labels?:map:s Annotations=annotations?:map:s OwnerReferences=ownerReferences?:[]{OwnerReference} Finalizers=finalizers?:[]s ManagedFields=managedFields?:[]{ManagedFieldsEntry}',
  OwnerReference:
    '@ APIVersion=apiVersion:s Kind=kind:s Name=name:s UID=uid:s Controller=controller?:*b BlockOwnerDeletion=blockOwnerDeletion?:*b',
  ManagedFieldsEntry:
    '@ Manager=manager?:s Operation=operation?:s APIVersion=apiVersion?:s Time=time?:*t FieldsType=fieldsType?:s FieldsV1=fieldsV1?:*{FieldsV1} Subresource=subresource?:s',
  FieldsV1: '',
  PersistentVolumeClaimSpec:
    'AccessModes=accessModes:[]s Selector=selector:*{LabelSelector} Resources=resources:{VolumeResourceRequirements} VolumeName=volumeName:s StorageClassName=storageClassName:*s VolumeMode=volumeMode:*s DataSource=dataSource:*{TypedLocalObjectReference} DataSourceRef=dataSourceRef:*{TypedObjectReference} VolumeAttributesClassName=volumeAttributesClassName:*s',
  VolumeResourceRequirements: 'Limits=limits:map:q Requests=requests:map:q',
  TypedLocalObjectReference: 'APIGroup=apiGroup:*s Kind=kind:s Name=name:s',
  TypedObjectReference: 'APIGroup=apiGroup:*s Kind=kind:s Name=name:s Namespace=namespace:*s',
  ImageVolumeSource: 'Reference=reference:s PullPolicy=pullPolicy:s',
  Container:
    'Name=name:s Image=image:s Command=command:[]s Args=args:[]s WorkingDir=workingDir:s Ports=ports:[]{ContainerPort} EnvFrom=envFrom:[]{EnvFromSource} Env=env:[]{EnvVar} Resources=resources:{ResourceRequirements} ResizePolicy=resizePolicy:[]{ContainerResizePolicy} RestartPolicy=restartPolicy:*s RestartPolicyRules=restartPolicyRules:[]{ContainerRestartRule} VolumeMounts=volumeMounts:[]{VolumeMount} VolumeDevices=volumeDevices:[]{VolumeDevice} LivenessProbe=livenessProbe:*{Probe} ReadinessProbe=readinessProbe:*{Probe} StartupProbe=startupProbe:*{Probe} Lifecycle=lifecycle:*{Lifecycle} TerminationMessagePath=terminationMessagePath:s TerminationMessagePolicy=terminationMessagePolicy:s ImagePullPolicy=imagePullPolicy:s SecurityContext=securityContext:*{SecurityContext} Stdin=stdin:b StdinOnce=stdinOnce:b TTY=tty:b',
  ContainerPort: 'Name=name:s HostPort=hostPort:i ContainerPort=containerPort:i Protocol=protocol:s HostIP=hostIP:s',
  EnvFromSource: 'Prefix=prefix:s ConfigMapRef=configMapRef:*{ConfigMapEnvSource} SecretRef=secretRef:*{SecretEnvSource}',
  ConfigMapEnvSource: 'LocalObjectReference=:~{LocalObjectReference} Optional=optional:*b',
  SecretEnvSource: 'LocalObjectReference=:~{LocalObjectReference} Optional=optional:*b',
  EnvVar: 'Name=name:s Value=value:s ValueFrom=valueFrom:*{EnvVarSource}',
  EnvVarSource:
    'FieldRef=fieldRef:*{ObjectFieldSelector} ResourceFieldRef=resourceFieldRef:*{ResourceFieldSelector} ConfigMapKeyRef=configMapKeyRef:*{ConfigMapKeySelector} SecretKeyRef=secretKeyRef:*{SecretKeySelector} FileKeyRef=fileKeyRef:*{FileKeySelector}',
  ConfigMapKeySelector: 'LocalObjectReference=:~{LocalObjectReference} Key=key:s Optional=optional:*b',
  SecretKeySelector: 'LocalObjectReference=:~{LocalObjectReference} Key=key:s Optional=optional:*b',
  FileKeySelector: 'VolumeName=volumeName:s Path=path:s Key=key:s Optional=optional:*b',
  ResourceRequirements: 'Limits=limits:map:q Requests=requests:map:q Claims=claims:[]{ResourceClaim}',
  ResourceClaim: 'Name=name:s Request=request:s',
  ContainerResizePolicy: 'ResourceName=resourceName:s RestartPolicy=restartPolicy:s',
  ContainerRestartRule: 'Action=action:s ExitCodes=exitCodes:*{ContainerRestartRuleOnExitCodes}',
  ContainerRestartRuleOnExitCodes: 'Operator=operator:s Values=values:[]i',
  VolumeMount:
    'Name=name:s ReadOnly=readOnly:b RecursiveReadOnly=recursiveReadOnly:*s MountPath=mountPath:s SubPath=subPath:s MountPropagation=mountPropagation:*s SubPathExpr=subPathExpr:s',
  VolumeDevice: 'Name=name:s DevicePath=devicePath:s',
  Probe:
    'ProbeHandler=:~{ProbeHandler} InitialDelaySeconds=initialDelaySeconds:i TimeoutSeconds=timeoutSeconds:i PeriodSeconds=periodSeconds:i SuccessThreshold=successThreshold:i FailureThreshold=failureThreshold:i TerminationGracePeriodSeconds=terminationGracePeriodSeconds:*i',
  ProbeHandler: 'Exec=exec:*{ExecAction} HTTPGet=httpGet:*{HTTPGetAction} TCPSocket=tcpSocket:*{TCPSocketAction} GRPC=grpc:*{GRPCAction}',
  ExecAction: 'Command=command:[]s',
  HTTPGetAction: 'Path=path:s Port=port:n Host=host:s Scheme=scheme:s HTTPHeaders=httpHeaders:[]{HTTPHeader}',
  HTTPHeader: 'Name=name:s Value=value:s',
  TCPSocketAction: 'Port=port:n Host=host:s',
  GRPCAction: 'Port=port:i Service=service:*s',
  Lifecycle: 'PostStart=postStart:*{LifecycleHandler} PreStop=preStop:*{LifecycleHandler} StopSignal=stopSignal:*s',
  LifecycleHandler:
    'Exec=exec:*{ExecAction} HTTPGet=httpGet:*{HTTPGetAction} TCPSocket=tcpSocket:*{TCPSocketAction} Sleep=sleep:*{SleepAction}',
  SleepAction: 'Seconds=seconds:i',
  SecurityContext:
    'Capabilities=capabilities:*{Capabilities} Privileged=privileged:*b SELinuxOptions=seLinuxOptions:*{SELinuxOptions} WindowsOptions=windowsOptions:*{WindowsSecurityContextOptions} RunAsUser=runAsUser:*i RunAsGroup=runAsGroup:*i RunAsNonRoot=runAsNonRoot:*b ReadOnlyRootFilesystem=readOnlyRootFilesystem:*b AllowPrivilegeEscalation=allowPrivilegeEscalation:*b ProcMount=procMount:*s SeccompProfile=seccompProfile:*{SeccompProfile} AppArmorProfile=appArmorProfile:*{AppArmorProfile}',
  Capabilities: 'Add=add:[]s Drop=drop:[]s',
  SELinuxOptions: 'User=user:s Role=role:s Type=type:s Level=level:s',
  WindowsSecurityContextOptions:
    'GMSACredentialSpecName=gmsaCredentialSpecName:*s GMSACredentialSpec=gmsaCredentialSpec:*s RunAsUserName=runAsUserName:*s HostProcess=hostProcess:*b',
  SeccompProfile: 'Type=type:s LocalhostProfile=localhostProfile:*s',
  AppArmorProfile: 'Type=type:s LocalhostProfile=localhostProfile:*s',
  EphemeralContainer: 'EphemeralContainerCommon=:~{EphemeralContainerCommon} TargetContainerName=targetContainerName:s',
  EphemeralContainerCommon:
    'Name=name:s Image=image:s Command=command:[]s Args=args:[]s WorkingDir=workingDir:s Ports=ports:[]{ContainerPort} EnvFrom=envFrom:[]{EnvFromSource} Env=env:[]{EnvVar} Resources=resources:{ResourceRequirements} ResizePolicy=resizePolicy:[]{ContainerResizePolicy} RestartPolicy=restartPolicy:*s RestartPolicyRules=restartPolicyRules:[]{ContainerRestartRule} VolumeMounts=volumeMounts:[]{VolumeMount} VolumeDevices=volumeDevices:[]{VolumeDevice} LivenessProbe=livenessProbe:*{Probe} ReadinessProbe=readinessProbe:*{Probe} StartupProbe=startupProbe:*{Probe} Lifecycle=lifecycle:*{Lifecycle} TerminationMessagePath=terminationMessagePath:s TerminationMessagePolicy=terminationMessagePolicy:s ImagePullPolicy=imagePullPolicy:s SecurityContext=securityContext:*{SecurityContext} Stdin=stdin:b StdinOnce=stdinOnce:b TTY=tty:b',
  PodSecurityContext:
    'HostNetwork=:b HostPID=:b HostIPC=:b ShareProcessNamespace=:*b HostUsers=:*b SELinuxOptions=seLinuxOptions:*{SELinuxOptions} WindowsOptions=windowsOptions:*{WindowsSecurityContextOptions} RunAsUser=runAsUser:*i RunAsGroup=runAsGroup:*i RunAsNonRoot=runAsNonRoot:*b SupplementalGroups=supplementalGroups:[]i SupplementalGroupsPolicy=supplementalGroupsPolicy:*s FSGroup=fsGroup:*i FSGroupChangePolicy=fsGroupChangePolicy:*s Sysctls=sysctls:[]{Sysctl} SeccompProfile=seccompProfile:*{SeccompProfile} AppArmorProfile=appArmorProfile:*{AppArmorProfile} SELinuxChangePolicy=seLinuxChangePolicy:*s',
  Sysctl: 'Name=name:s Value=value:s',
  Affinity:
    'NodeAffinity=nodeAffinity:*{NodeAffinity} PodAffinity=podAffinity:*{PodAffinity} PodAntiAffinity=podAntiAffinity:*{PodAntiAffinity}',
  NodeAffinity:
    'RequiredDuringSchedulingIgnoredDuringExecution=requiredDuringSchedulingIgnoredDuringExecution:*{NodeSelector} PreferredDuringSchedulingIgnoredDuringExecution=preferredDuringSchedulingIgnoredDuringExecution:[]{PreferredSchedulingTerm}',
  NodeSelector: 'NodeSelectorTerms=nodeSelectorTerms:[]{NodeSelectorTerm}',
  NodeSelectorTerm: 'MatchExpressions=matchExpressions:[]{NodeSelectorRequirement} MatchFields=matchFields:[]{NodeSelectorRequirement}',
  NodeSelectorRequirement: 'Key=key:s Operator=operator:s Values=values:[]s',
  PreferredSchedulingTerm: 'Weight=weight:i Preference=preference:{NodeSelectorTerm}',
  PodAffinity:
    'RequiredDuringSchedulingIgnoredDuringExecution=requiredDuringSchedulingIgnoredDuringExecution:[]{PodAffinityTerm} PreferredDuringSchedulingIgnoredDuringExecution=preferredDuringSchedulingIgnoredDuringExecution:[]{WeightedPodAffinityTerm}',
  PodAffinityTerm:
    'LabelSelector=labelSelector:*{LabelSelector} Namespaces=namespaces:[]s TopologyKey=topologyKey:s NamespaceSelector=namespaceSelector:*{LabelSelector} MatchLabelKeys=matchLabelKeys:[]s MismatchLabelKeys=mismatchLabelKeys:[]s',
  WeightedPodAffinityTerm: 'Weight=weight:i PodAffinityTerm=podAffinityTerm:{PodAffinityTerm}',
  PodAntiAffinity:
    'RequiredDuringSchedulingIgnoredDuringExecution=requiredDuringSchedulingIgnoredDuringExecution:[]{PodAffinityTerm} PreferredDuringSchedulingIgnoredDuringExecution=preferredDuringSchedulingIgnoredDuringExecution:[]{WeightedPodAffinityTerm}',
  Toleration: 'Key=key:s Operator=operator:s Value=value:s Effect=effect:s TolerationSeconds=tolerationSeconds:*i',
  HostAlias: 'IP=ip:s Hostnames=hostnames:[]s',
  PodDNSConfig: 'Nameservers=nameservers:[]s Searches=searches:[]s Options=options:[]{PodDNSConfigOption}',
  PodDNSConfigOption: 'Name=name:s Value=value:*s',
  PodReadinessGate: 'ConditionType=conditionType:s',
  TopologySpreadConstraint:
    'MaxSkew=maxSkew:i TopologyKey=topologyKey:s WhenUnsatisfiable=whenUnsatisfiable:s LabelSelector=labelSelector:*{LabelSelector} MinDomains=minDomains:*i NodeAffinityPolicy=nodeAffinityPolicy:*s NodeTaintsPolicy=nodeTaintsPolicy:*s MatchLabelKeys=matchLabelKeys:[]s',
  PodOS: 'Name=name:s',
  PodSchedulingGate: 'Name=name:s',
  PodResourceClaim: 'Name=name:s ResourceClaimName=resourceClaimName:*s ResourceClaimTemplateName=resourceClaimTemplateName:*s',
};

type Field = { go: string; json: string; omitEmpty: boolean; type: string };
type Layout = { tagged: boolean; fields: Field[] };
const layouts = new Map<string, Layout>();

function layoutOf(name: string): Layout {
  let l = layouts.get(name);
  if (l) return l;
  const spec = LAYOUT[name];
  if (spec === undefined) throw new Error(`podspec-diff: no layout for ${name}`);
  const parts = spec.split(' ');
  const tagged = parts[0] === '@';
  const fields = (tagged ? parts.slice(1) : parts).map((p) => {
    const eq = p.indexOf('=');
    const colon = p.indexOf(':', eq);
    const json = p.slice(eq + 1, colon);
    return { go: p.slice(0, eq), json: json.replace(/\?$/, ''), omitEmpty: json.endsWith('?'), type: p.slice(colon + 1) };
  });
  l = { tagged, fields };
  layouts.set(name, l);
  return l;
}

// The internal PodSecurityContext holds what v1 keeps on the PodSpec.
const POD_SECURITY_CONTEXT_FROM_SPEC: Record<string, string> = {
  HostNetwork: 'hostNetwork',
  HostPID: 'hostPID',
  HostIPC: 'hostIPC',
  ShareProcessNamespace: 'shareProcessNamespace',
  HostUsers: 'hostUsers',
};

type Ctx = { fromStorage: boolean; spec: Json };

/**
 * A Go value of `type` decoded from the v1 JSON value `v`. `fromStorage`: the old object comes back from etcd as
 * protobuf, where empty lists and maps decode as nil. `raw`: the same value as the client's request decoded it
 * (before kgate's Go layout dropped empty lists and maps), when known: an empty one there is an empty one in Go.
 */
function goValue(type: string, v: unknown, ctx: Ctx, raw?: unknown): unknown {
  if (type.startsWith('*')) return v === undefined || v === null ? null : goValue(type.slice(1), v, ctx, raw);
  if (type.startsWith('[]')) {
    if (!Array.isArray(v)) return Array.isArray(raw) && raw.length === 0 ? [] : null;
    if (ctx.fromStorage && v.length === 0) return null;
    const rawList = Array.isArray(raw) && raw.length === v.length ? raw : undefined;
    return v.map((x, i) => goValue(type.slice(2), x, ctx, rawList?.[i]));
  }
  if (type.startsWith('map:')) {
    if (!v || typeof v !== 'object') return raw && typeof raw === 'object' && Object.keys(raw).length === 0 ? {} : null;
    if (ctx.fromStorage && Object.keys(v).length === 0) return null;
    const out: Json = {};
    for (const k of Object.keys(v).sort()) out[k] = goValue(type.slice(4), (v as Json)[k], ctx, (raw as Json | undefined)?.[k]);
    return out;
  }
  if (type.startsWith('{')) return goStruct(type.slice(1, -1), (v ?? {}) as Json, ctx, {}, raw as Json | undefined);
  switch (type) {
    case 's':
      return typeof v === 'string' ? v : '';
    case 'i':
    case 'f':
      return typeof v === 'number' ? v : 0;
    case 'b':
      return v === true;
    case 'q': {
      const q = v === undefined || v === null ? undefined : parseQuantity(v as string | number);
      return q ? formatQuantity(q) : '0';
    }
    case 'n':
      return typeof v === 'number' ? v : typeof v === 'string' ? v : 0;
    case 't':
      return typeof v === 'string' ? v : null;
    case 'B':
      return typeof v === 'string' ? v : null;
  }
  throw new Error(`podspec-diff: unknown type ${type}`);
}

function isEmptyGo(v: unknown): boolean {
  return (
    v === null ||
    v === '' ||
    v === 0 ||
    v === false ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0)
  );
}

function goStruct(name: string, v: Json, ctx: Ctx, into: Json = {}, raw?: Json): Json {
  const { tagged, fields } = layoutOf(name);
  const rawObj = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : undefined;
  for (const f of fields) {
    if (f.type.startsWith('~')) {
      const src = f.json ? (v[f.json] ?? {}) : v;
      const rawSrc = f.json ? rawObj?.[f.json] : rawObj;
      goStruct(f.type.slice(2, -1), src, ctx, into, rawSrc);
      continue;
    }
    const fromSpec = name === 'PodSecurityContext' && f.go in POD_SECURITY_CONTEXT_FROM_SPEC;
    const field = fromSpec ? ctx.spec[POD_SECURITY_CONTEXT_FROM_SPEC[f.go]!] : v[f.json];
    const value = goValue(f.type, field, ctx, fromSpec ? undefined : rawObj?.[f.json]);
    if (tagged) {
      if (f.omitEmpty && isEmptyGo(value)) continue;
      into[f.json] = value;
    } else into[f.go] = value;
  }
  return into;
}

/** json.MarshalIndent(x, "", " "): HTML-sensitive characters escaped as Go escapes them. */
function goJson(x: unknown): string {
  return JSON.stringify(x, null, 1).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---- go-difflib's SequenceMatcher and unified diff --------------------------------------------------------

type Match = [a: number, b: number, size: number];
type OpCode = [tag: 'r' | 'd' | 'i' | 'e', i1: number, i2: number, j1: number, j2: number];

function matchingBlocks(a: string[], b: string[]): Match[] {
  const b2j = new Map<string, number[]>();
  b.forEach((s, i) => {
    const list = b2j.get(s);
    if (list) list.push(i);
    else b2j.set(s, [i]);
  });
  // autoJunk: in a sequence of 200+ lines, a line more common than 1% + 1 is not used to anchor matches.
  if (b.length >= 200) {
    const ntest = Math.floor(b.length / 100) + 1;
    for (const [s, idx] of [...b2j]) if (idx.length > ntest) b2j.delete(s);
  }
  const longest = (alo: number, ahi: number, blo: number, bhi: number): Match => {
    let [besti, bestj, bestsize] = [alo, blo, 0];
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of b2j.get(a[i]!) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestsize) [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k];
      }
      j2len = next;
    }
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) [besti, bestj, bestsize] = [besti - 1, bestj - 1, bestsize + 1];
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
    return [besti, bestj, bestsize];
  };
  const matched: Match[] = [];
  const walk = (alo: number, ahi: number, blo: number, bhi: number) => {
    const m = longest(alo, ahi, blo, bhi);
    const [i, j, k] = m;
    if (k === 0) return;
    if (alo < i && blo < j) walk(alo, i, blo, j);
    matched.push(m);
    if (i + k < ahi && j + k < bhi) walk(i + k, ahi, j + k, bhi);
  };
  walk(0, a.length, 0, b.length);
  const out: Match[] = [];
  let [i1, j1, k1] = [0, 0, 0];
  for (const [i2, j2, k2] of matched) {
    if (i1 + k1 === i2 && j1 + k1 === j2) k1 += k2;
    else {
      if (k1 > 0) out.push([i1, j1, k1]);
      [i1, j1, k1] = [i2, j2, k2];
    }
  }
  if (k1 > 0) out.push([i1, j1, k1]);
  out.push([a.length, b.length, 0]);
  return out;
}

function opCodes(a: string[], b: string[]): OpCode[] {
  let [i, j] = [0, 0];
  const codes: OpCode[] = [];
  for (const [ai, bj, size] of matchingBlocks(a, b)) {
    const tag = i < ai && j < bj ? 'r' : i < ai ? 'd' : j < bj ? 'i' : undefined;
    if (tag) codes.push([tag, i, ai, j, bj]);
    [i, j] = [ai + size, bj + size];
    if (size > 0) codes.push(['e', ai, i, bj, j]);
  }
  return codes;
}

function groupedOpCodes(a: string[], b: string[], n: number): OpCode[][] {
  const codes = opCodes(a, b);
  if (codes.length === 0) codes.push(['e', 0, 1, 0, 1]);
  const first = codes[0]!;
  if (first[0] === 'e') codes[0] = ['e', Math.max(first[1], first[2] - n), first[2], Math.max(first[3], first[4] - n), first[4]];
  const last = codes[codes.length - 1]!;
  if (last[0] === 'e') codes[codes.length - 1] = ['e', last[1], Math.min(last[2], last[1] + n), last[3], Math.min(last[4], last[3] + n)];
  const groups: OpCode[][] = [];
  let group: OpCode[] = [];
  for (const c of codes) {
    const [tag, , i2, , j2] = c;
    let [, i1, , j1] = c;
    if (tag === 'e' && i2 - i1 > 2 * n) {
      group.push([tag, i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)]);
      groups.push(group);
      group = [];
      [i1, j1] = [Math.max(i1, i2 - n), Math.max(j1, j2 - n)];
    }
    group.push([tag, i1, i2, j1, j2]);
  }
  if (group.length > 0 && !(group.length === 1 && group[0]![0] === 'e')) groups.push(group);
  return groups;
}

function rangeUnified(start: number, stop: number): string {
  const length = stop - start;
  if (length === 1) return String(start + 1);
  return `${length === 0 ? start : start + 1},${length}`;
}

/** difflib.SplitLines: every line keeps its newline, and the last gets one. */
function splitLines(s: string): string[] {
  const lines = s.split('\n').map((l) => `${l}\n`);
  return lines;
}

/** difflib.GetUnifiedDiffString with three lines of context and no file names. */
export function unifiedDiff(aText: string, bText: string): string {
  const a = splitLines(aText);
  const b = splitLines(bText);
  let out = '';
  for (const g of groupedOpCodes(a, b, 3)) {
    const first = g[0]!;
    const last = g[g.length - 1]!;
    out += `@@ -${rangeUnified(first[1], last[2])} +${rangeUnified(first[3], last[4])} @@\n`;
    for (const [tag, i1, i2, j1, j2] of g) {
      if (tag === 'e') {
        for (const line of a.slice(i1, i2)) out += ` ${line}`;
        continue;
      }
      if (tag === 'r' || tag === 'd') for (const line of a.slice(i1, i2)) out += `-${line}`;
      if (tag === 'r' || tag === 'i') for (const line of b.slice(j1, j2)) out += `+${line}`;
    }
  }
  return out;
}

/** A v1 value of internal type `name` as Go's JSON encoding of the internal struct shows it (in a message). */
export function goInternal(name: string, v: Json): Json {
  return goStruct(name, v, { fromStorage: false, spec: {} });
}

/**
 * A v1 pod template as Go's JSON encoding of the internal core.PodTemplateSpec shows it in a field error's message:
 * ObjectMeta's set fields inlined with their JSON names, then `Spec`. `decoded`: the template as the request decoded
 * it, when known (an explicitly empty list is [] there, not null).
 */
export function goInternalPodTemplateSpec(template: Json | undefined, decoded?: Json): Json {
  const t = template ?? {};
  return goStruct('PodTemplateSpec', t, { fromStorage: false, spec: t.spec ?? {} }, {}, decoded);
}

/** diff.Diff(oldSpec, newSpec) of two v1 pod specs, as the internal structs; `old` is the stored pod's. */
export function podSpecDiff(old: Json, next: Json, nextDecoded?: Json): string {
  const a = goJson(goStruct('PodSpec', old, { fromStorage: true, spec: old }));
  const b = goJson(goStruct('PodSpec', next, { fromStorage: false, spec: next }, {}, nextDecoded));
  return unifiedDiff(a, b);
}
