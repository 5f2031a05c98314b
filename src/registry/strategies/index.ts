// Every kind's strategy literal, by `group/resource`; a served resource without one gets the generic strategy.
import type { ResourceInfo } from '../../scheme/index.js';
import type { Printer } from '../printers/types.js';
import { resolveStrategy, type Strategy, type StrategyDefinition, type StrategyOptions } from '../strategy.js';
import * as apps from './apps.js';
import * as batch from './batch.js';
import { certificateSigningRequests } from './certificates.js';
import * as config from './config.js';
import * as core from './core.js';
import * as groups from './groups.js';
import { namespaces } from './namespaces.js';
import { pods } from './pods.js';
import * as webhooks from './webhooks.js';
import * as policies from './policies.js';

export type { StrategyOptions } from '../strategy.js';

const DEFINITIONS: ReadonlyMap<string, StrategyDefinition> = new Map(
  [
    namespaces,
    pods,
    certificateSigningRequests,
    ...Object.values(core),
    ...Object.values(config),
    ...Object.values(apps),
    ...Object.values(batch),
    ...Object.values(groups),
    ...Object.values(webhooks),
    ...Object.values(policies),
  ]
    .filter((d): d is StrategyDefinition => typeof d === 'object' && d !== null && 'resource' in d)
    .map((d) => [d.resource, d]),
);

/** The literal declared for a group/resource, if any. */
export function strategyDefinition(group: string, resource: string): StrategyDefinition | undefined {
  return DEFINITIONS.get(`${group}/${resource}`);
}

export function strategyFor(info: ResourceInfo, opts: StrategyOptions): Strategy {
  return resolveStrategy(info, strategyDefinition(info.group, info.resource), opts);
}

/** The Table printer declared for a group/resource (any version): kube prints every version from one type. */
export function printerFor(group: string, resource: string): Printer | undefined {
  return strategyDefinition(group, resource)?.printer;
}
