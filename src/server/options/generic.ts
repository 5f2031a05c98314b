// Server-wide flags that belong to no other concern (kube-apiserver's ServerRunOptions and --event-ttl) plus
// kgate's --workers, and klog's -v (k8s.io/component-base/logs).

import { durationFlag, intFlag, type FlagSpec } from './flag.js';

export interface GenericOptions {
  /** --event-ttl in milliseconds: how long etcd keeps Events (an etcd lease). */
  eventTTLMs: number;
  /** --workers (kgate only): serving processes sharing the port, each following etcd with its own cache. */
  workers: number;
  verbosity: number;
}

export const GENERIC_DEFAULTS: Readonly<GenericOptions> = Object.freeze({
  eventTTLMs: 60 * 60 * 1000,
  workers: 1,
  verbosity: 0,
});

export const GENERIC_FLAGS: readonly FlagSpec<GenericOptions>[] = [
  durationFlag({ name: 'event-ttl', section: 'Generic', usage: 'Amount of time to retain events.' }, 'eventTTLMs', GENERIC_DEFAULTS),
  intFlag(
    {
      name: 'workers',
      section: 'Generic',
      usage:
        'Number of serving processes sharing --secure-port (kgate only). Each follows etcd with its own watch ' +
        'cache, so reads do not gain on a small machine; writes gain a little on 2 cores.',
    },
    'workers',
    GENERIC_DEFAULTS,
    { base: 0, bits: 32, check: (value) => (value < 1 ? 'must be at least 1' : undefined) },
  ),
  // klog's Level.Set parses a base-10 int32.
  intFlag({ name: 'v', section: 'Logs', usage: 'number for the log level verbosity' }, 'verbosity', GENERIC_DEFAULTS, {
    base: 10,
    bits: 32,
    type: 'Level',
    shorthand: 'v',
  }),
];
