// Cell formatting shared by several kinds, each matching a kube helper of the same purpose
// (labels.FormatLabels, metav1.FormatLabelSelector, layoutContainerCells, listWithMoreString, ...).
import { LabelSelectorError, labelSelectorFromMetav1, type Metav1LabelSelector } from '../../apimachinery/labels.js';
import type { Json } from './types.js';

export const NONE = '<none>';

/** labels.FormatLabels: `k=v` sorted by key, joined with ','; `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  if (!labels) return NONE;
  const keys = Object.keys(labels);
  if (keys.length === 0) return NONE;
  keys.sort();
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += `${keys[i]}=${labels[keys[i]]}`;
  }
  return out;
}

/** metav1.LabelSelectorAsSelector(...).String(), or undefined when kube's conversion fails. */
export function labelSelectorString(sel: Metav1LabelSelector | null | undefined): string | undefined {
  try {
    return labelSelectorFromMetav1(sel).toString();
  } catch (e) {
    if (e instanceof LabelSelectorError) return undefined;
    throw e;
  }
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when it renders empty, `<error>` when invalid. */
export function formatLabelSelector(sel: Metav1LabelSelector | null | undefined): string {
  const s = labelSelectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? NONE : s;
}

/** layoutContainerCells: container names and images, each joined with ','. */
export function containerCells(containers: Json[] | null | undefined): [names: string, images: string] {
  if (!Array.isArray(containers)) return ['', ''];
  let names = '';
  let images = '';
  for (let i = 0; i < containers.length; i++) {
    if (i > 0) {
      names += ',';
      images += ',';
    }
    names += containers[i]?.name ?? '';
    images += containers[i]?.image ?? '';
  }
  return [names, images];
}

/** listWithMoreString: up to `max` entries joined with ',', then ` + <n> more...`; `<unset>` when empty. */
export function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

/**
 * The load-balancer status stringer (services and ingresses): each ingress point's IP, else its hostname,
 * de-duplicated and sorted (sets.String.List), joined with ','. The server renders wide, so no clipping.
 */
export function loadBalancerAddresses(ingress: Json[] | null | undefined): string[] {
  if (!Array.isArray(ingress) || ingress.length === 0) return [];
  const set = new Set<string>();
  for (const point of ingress) {
    if (point?.ip) set.add(point.ip);
    else if (point?.hostname) set.add(point.hostname);
  }
  return [...set].sort();
}

/** resource.Quantity.String() for a stored quantity; a nil *Quantity prints `<nil>`, a missing map entry `0`. */
export function quantity(q: unknown, missing = '<nil>'): string {
  if (q === undefined || q === null) return missing;
  return String(q);
}

/** intstr.IntOrString.String(). */
export function intOrString(v: unknown): string {
  return String(v);
}

/** Integer cells: kube prints int64(field) where an unset field is 0. */
export function int(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

export function count(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (v && typeof v === 'object') return Object.keys(v).length;
  return 0;
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

const ACCESS_MODES: readonly (readonly [mode: string, abbreviation: string])[] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** helper.GetAccessModesAsString: abbreviations in the fixed order RWO,ROX,RWX,RWOP. */
export function accessModes(modes: unknown): string {
  if (!Array.isArray(modes) || modes.length === 0) return '';
  const out: string[] = [];
  for (const [mode, abbreviation] of ACCESS_MODES) if (modes.includes(mode)) out.push(abbreviation);
  return out.join(',');
}

/** ObjectMeta.name, the first cell of nearly every row. */
export function nameOf(obj: Json): string {
  return str(obj?.metadata?.name);
}
