// What a pod refers to, as kube's pod visitors walk it (pkg/api/v1/pod/util.go VisitPodSecretNames), shared by the
// Node authorizer's graph and ServiceAccount admission's mirror-pod check.

/** Init, regular and ephemeral containers, in podutil.AllContainers' order. */
export function allContainers(pod: any): any[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
}

/** podutil.VisitPodSecretNames: pull secrets, env and envFrom references, and the volume sources that name one. */
export function podSecretNames(pod: any): string[] {
  const names: string[] = [];
  for (const ref of pod.spec?.imagePullSecrets ?? []) names.push(ref?.name);
  for (const c of allContainers(pod)) {
    for (const from of c.envFrom ?? []) if (from.secretRef) names.push(from.secretRef.name);
    for (const env of c.env ?? []) if (env.valueFrom?.secretKeyRef) names.push(env.valueFrom.secretKeyRef.name);
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v.azureFile) names.push(v.azureFile.secretName);
    else if (v.cephfs) names.push(v.cephfs.secretRef?.name);
    else if (v.cinder) names.push(v.cinder.secretRef?.name);
    else if (v.flexVolume) names.push(v.flexVolume.secretRef?.name);
    else if (v.projected) for (const s of v.projected.sources ?? []) names.push(s?.secret?.name);
    else if (v.rbd) names.push(v.rbd.secretRef?.name);
    else if (v.secret) names.push(v.secret.secretName);
    else if (v.scaleIO) names.push(v.scaleIO.secretRef?.name);
    else if (v.iscsi) names.push(v.iscsi.secretRef?.name);
    else if (v.storageos) names.push(v.storageos.secretRef?.name);
    else if (v.csi) names.push(v.csi.nodePublishSecretRef?.name);
  }
  return names.filter((n): n is string => typeof n === 'string' && n !== '');
}
