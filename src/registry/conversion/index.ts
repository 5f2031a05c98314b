// Conversion between a served group/version and the version a resource is stored in. Only resources that
// several group/versions share need it; every other kind is stored as it is served.
import type { GroupVersionKind } from '../../scheme/index.js';
import type { KubeObject } from '../../storage/interface.js';
import { coreToEventsV1, eventsV1ToCore } from './events.js';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa.js';

type Converter = (obj: KubeObject) => KubeObject;

const gv = (g: GroupVersionKind) => (g.group === '' ? g.version : `${g.group}/${g.version}`);

const CONVERTERS: Record<string, Converter> = {
  'events.k8s.io/v1 Event -> v1 Event': eventsV1ToCore,
  'v1 Event -> events.k8s.io/v1 Event': coreToEventsV1,
  'autoscaling/v1 HorizontalPodAutoscaler -> autoscaling/v2 HorizontalPodAutoscaler': hpaV1ToV2,
  'autoscaling/v2 HorizontalPodAutoscaler -> autoscaling/v1 HorizontalPodAutoscaler': hpaV2ToV1,
};

/** A converter between two kinds, or undefined when they are the same shape. */
export function converter(from: GroupVersionKind, to: GroupVersionKind): Converter | undefined {
  if (from.group === to.group && from.version === to.version && from.kind === to.kind) return undefined;
  const c = CONVERTERS[`${gv(from)} ${from.kind} -> ${gv(to)} ${to.kind}`];
  if (c) return c;
  // Same shape under another name: only apiVersion and kind change.
  return (obj) => {
    const { apiVersion: _a, kind: _k, ...rest } = obj;
    return { apiVersion: gv(to), kind: to.kind, ...rest };
  };
}
