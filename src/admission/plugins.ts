// kube-apiserver's admission plugin names, their order and the default-on set (pkg/kubeapiserver/options/plugins.go
// AllOrderedPlugins and DefaultOffAdmissionPlugins, v1.34), and how --enable-admission-plugins and
// --disable-admission-plugins pick the enabled ones (k8s.io/apiserver/pkg/server/options/admission.go).

/** Every plugin kube registers, in the order the chain runs them. */
export const ALL_ORDERED_PLUGINS = [
  'AlwaysAdmit',
  'NamespaceAutoProvision',
  'NamespaceLifecycle',
  'NamespaceExists',
  'LimitPodHardAntiAffinityTopology',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'TaintNodesByCondition',
  'AlwaysPullImages',
  'ImagePolicyWebhook',
  'PodSecurity',
  'PodNodeSelector',
  'Priority',
  'DefaultTolerationSeconds',
  'PodTolerationRestriction',
  'EventRateLimit',
  'ExtendedResourceToleration',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'OwnerReferencesPermissionEnforcement',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DenyServiceExternalIPs',
  'PodTopologyLabels',
  // webhook, resourcequota, and deny plugins go at the end
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'AlwaysDeny',
] as const;

export type PluginName = (typeof ALL_ORDERED_PLUGINS)[number];

/** The plugins on unless --disable-admission-plugins names them. */
export const DEFAULT_ON_PLUGINS: ReadonlySet<string> = new Set<PluginName>([
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'DefaultStorageClass',
  'PersistentVolumeClaimResize',
  'DefaultTolerationSeconds',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'StorageObjectInUseProtection',
  'Priority',
  'TaintNodesByCondition',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'PodSecurity',
  'PodTopologyLabels',
  'MutatingAdmissionPolicy',
  'ValidatingAdmissionPolicy',
]);

/** AdmissionOptions.Validate's messages for the two flags. */
export function validatePluginFlags(enable: readonly string[], disable: readonly string[]): string[] {
  const known = new Set<string>(ALL_ORDERED_PLUGINS);
  const problems: string[] = [];
  for (const name of enable) if (!known.has(name)) problems.push(`enable-admission-plugins plugin ${JSON.stringify(name)} is unknown`);
  for (const name of disable) if (!known.has(name)) problems.push(`disable-admission-plugins plugin ${JSON.stringify(name)} is unknown`);
  const overlap = [...new Set(enable)].filter((name) => disable.includes(name)).sort();
  // Go's %v of a []string: [A B].
  if (overlap.length > 0) problems.push(`[${overlap.join(' ')}] in enable-admission-plugins and disable-admission-plugins overlapped`);
  return problems;
}

/** enabledPluginNames: the default-on plugins plus the enabled ones, minus the disabled ones, in kube's order. */
export function enabledPluginNames(enable: readonly string[], disable: readonly string[]): PluginName[] {
  const enabled = new Set(enable);
  return ALL_ORDERED_PLUGINS.filter((name) => enabled.has(name) || (DEFAULT_ON_PLUGINS.has(name) && !disable.includes(name)));
}

/**
 * The plugins kgate has. kube's other names are accepted by --disable-admission-plugins and refused by name by
 * --enable-admission-plugins; a default-on plugin kgate lacks is simply not in the chain (the README lists them).
 */
export const IMPLEMENTED_PLUGINS: ReadonlySet<string> = new Set<PluginName>([
  'AlwaysAdmit',
  'NamespaceLifecycle',
  'LimitRanger',
  'NodeRestriction',
  'PodSecurity',
  'ServiceAccount',
  'TaintNodesByCondition',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'DefaultIngressClass',
  'CertificateApproval',
  'CertificateSigning',
  'CertificateSubjectRestriction',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'MutatingAdmissionPolicy',
  'ValidatingAdmissionPolicy',
  'AlwaysDeny',
]);
