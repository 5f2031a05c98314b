// apps/v1 rows. spec.replicas prints as 1 when absent: apps/v1 defaulting sets it on decode.
import type { KubeObject } from '../../storage/interface.js';
import { NONE, containerCells, formatLabelSelector, formatLabels, int, labelSelectorString, nameOf, str } from './format.js';
import { age } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

function desiredReplicas(obj: Json): number {
  return typeof obj?.spec?.replicas === 'number' ? obj.spec.replicas : 1;
}

export const deployments: Printer = {
  columns: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
  cells(obj, nowMs): Cell[] {
    const status = obj.status ?? {};
    const [names, images] = containerCells(obj.spec?.template?.spec?.containers);
    // printDeployment uses selector.String() directly: an empty selector prints '', not '<none>'.
    const selector = labelSelectorString(obj.spec?.selector) ?? '<invalid>';
    return [
      nameOf(obj),
      `${int(status.readyReplicas)}/${desiredReplicas(obj)}`,
      int(status.updatedReplicas),
      int(status.availableReplicas),
      age(obj, nowMs),
      names,
      images,
      selector,
    ];
  },
};

export const replicaSets: Printer = {
  columns: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
  cells(obj, nowMs): Cell[] {
    const [names, images] = containerCells(obj.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      desiredReplicas(obj),
      int(obj.status?.replicas),
      int(obj.status?.readyReplicas),
      age(obj, nowMs),
      names,
      images,
      formatLabelSelector(obj.spec?.selector),
    ];
  },
};

export const statefulSets: Printer = {
  columns: ['Name', 'Ready', 'Age', 'Containers', 'Images'],
  cells(obj, nowMs): Cell[] {
    const [names, images] = containerCells(obj.spec?.template?.spec?.containers);
    return [nameOf(obj), `${int(obj.status?.readyReplicas)}/${desiredReplicas(obj)}`, age(obj, nowMs), names, images];
  },
};

export const daemonSets: Printer = {
  columns: ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector'],
  cells(obj, nowMs): Cell[] {
    const status = obj.status ?? {};
    const podSpec = obj.spec?.template?.spec;
    const [names, images] = containerCells(podSpec?.containers);
    return [
      nameOf(obj),
      int(status.desiredNumberScheduled),
      int(status.currentNumberScheduled),
      int(status.numberReady),
      int(status.updatedNumberScheduled),
      int(status.numberAvailable),
      formatLabels(podSpec?.nodeSelector),
      age(obj, nowMs),
      names,
      images,
      formatLabelSelector(obj.spec?.selector),
    ];
  },
};

/**
 * The controller ownerReference as `<kind>[.<group>]/<name>`, lower-cased (formatResourceName over the
 * schema.GroupKind parsed from the reference's apiVersion).
 */
function controllerName(obj: KubeObject): string {
  const refs: Json[] = Array.isArray(obj.metadata?.ownerReferences) ? obj.metadata.ownerReferences : [];
  const ref = refs.find((r) => r?.controller === true);
  if (!ref) return NONE;
  const apiVersion = str(ref.apiVersion);
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const kind = str(ref.kind);
  if (group === '' && kind === '') return str(ref.name);
  const groupKind = group === '' ? kind : `${kind}.${group}`;
  return `${groupKind.toLowerCase()}/${str(ref.name)}`;
}

export const controllerRevisions: Printer = {
  columns: ['Name', 'Controller', 'Revision', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), controllerName(obj), int(obj.revision), age(obj, nowMs)],
};
