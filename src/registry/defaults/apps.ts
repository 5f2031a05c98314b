// apps/v1 workloads (pkg/apis/apps/v1/defaults.go, v1.34), plus the PodSpec defaults of their pod templates.
import { child, defaultEmptyString, defaultNil, isEmptyString, items, optional, type Json } from './json.js';
import { defaultPodTemplate } from './podspec.js';
import { defaultPersistentVolumeClaim } from './volumes.js';

/** Percentages stay strings: maxSurge and maxUnavailable are IntOrString. */
export function defaultDeployment(deployment: Json): void {
  const spec = child(deployment, 'spec');
  defaultNil(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  defaultEmptyString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = child(strategy, 'rollingUpdate');
    defaultNil(rollingUpdate, 'maxUnavailable', '25%');
    defaultNil(rollingUpdate, 'maxSurge', '25%');
  }
  defaultNil(spec, 'revisionHistoryLimit', 10);
  defaultNil(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(optional(spec, 'template'));
}

export function defaultReplicaSet(replicaSet: Json): void {
  const spec = child(replicaSet, 'spec');
  defaultNil(spec, 'replicas', 1);
  defaultPodTemplate(optional(spec, 'template'));
}

export function defaultDaemonSet(daemonSet: Json): void {
  const spec = child(daemonSet, 'spec');
  const strategy = child(spec, 'updateStrategy');
  defaultEmptyString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = child(strategy, 'rollingUpdate');
    defaultNil(rollingUpdate, 'maxUnavailable', 1);
    defaultNil(rollingUpdate, 'maxSurge', 0);
  }
  defaultNil(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(optional(spec, 'template'));
}

export function defaultStatefulSet(statefulSet: Json): void {
  const spec = child(statefulSet, 'spec');
  defaultEmptyString(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  // rollingUpdate is only created alongside a defaulted type; an explicit RollingUpdate without it stays bare.
  if (isEmptyString(strategy.type)) {
    strategy.type = 'RollingUpdate';
    child(strategy, 'rollingUpdate');
  }
  const rollingUpdate = optional(strategy, 'rollingUpdate');
  if (strategy.type === 'RollingUpdate' && rollingUpdate) defaultNil(rollingUpdate, 'partition', 0);
  // StatefulSetAutoDeletePVC is GA.
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  defaultEmptyString(retention, 'whenDeleted', 'Retain');
  defaultEmptyString(retention, 'whenScaled', 'Retain');
  defaultNil(spec, 'replicas', 1);
  defaultNil(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(optional(spec, 'template'));
  for (const claim of items(spec, 'volumeClaimTemplates')) {
    defaultPersistentVolumeClaim(claim);
    // The v1 conversion (pkg/apis/apps/v1/conversion.go) writes every claim template with its type, whatever the
    // client sent (kube issue 87583); kgate keeps v1 objects, so the round trip happens as the body is decoded.
    claim.kind = 'PersistentVolumeClaim';
    claim.apiVersion = 'v1';
  }
}
