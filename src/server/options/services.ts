// The Service network flags: --service-cluster-ip-range, --service-node-port-range and --advertise-address
// (kube cmd/kube-apiserver/app/options/options.go, completion.go's getServiceIPAndRanges and validation.go's
// validateClusterIPFlags / validatePublicIPServiceClusterIPRangeIPFamilies; pkg/controlplane/apiserver/options's
// ServiceIPRange; k8s.io/apimachinery/pkg/util/net's PortRange; k8s.io/apiserver's ServerRunOptions for
// --advertise-address and its default).
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import {
  cidrString,
  ipString,
  isIPv4,
  isLoopback,
  isUnspecified,
  parseCIDRSloppy,
  parseIPSloppy,
  type ParsedCIDR,
} from '../../apimachinery/ip.js';
import { goQuote } from '../../apimachinery/strconv.js';
import type { ServiceNetworkConfig } from '../config.js';
import type { FlagSpec } from './flag.js';

export interface ServiceNetworkOptions {
  /** --service-cluster-ip-range as given: '' (kube's default 10.0.0.0/24), one CIDR, or "v4,v6" / "v6,v4". */
  serviceClusterIPRanges: string;
  /** --service-node-port-range: first port and how many. */
  serviceNodePortRange: { base: number; size: number };
  /** --advertise-address ('' picks the bind address or the host's interface, as kube does). */
  advertiseAddress: string;
}

/** kube's DefaultServiceIPCIDR and DefaultServiceNodePortRange. */
export const DEFAULT_SERVICE_CIDR = '10.0.0.0/24';

export const SERVICE_NETWORK_DEFAULTS: Readonly<ServiceNetworkOptions> = Object.freeze({
  serviceClusterIPRanges: '',
  serviceNodePortRange: { base: 30000, size: 2768 },
  advertiseAddress: '',
});

/** PortRange.String(). */
export function portRangeString(range: { base: number; size: number }): string {
  return range.size === 0 ? '' : `${range.base}-${range.base + range.size - 1}`;
}

/** strconv.Atoi with Go's error text. */
function atoi(text: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(text)) return `strconv.Atoi: parsing ${goQuote(text)}: invalid syntax`;
  const n = Number(text);
  if (!Number.isSafeInteger(n)) return `strconv.Atoi: parsing ${goQuote(text)}: value out of range`;
  return n;
}

/** PortRange.Set: "value", "min-max" or "min+offset", inclusive at both ends; '' clears the range. */
export function parsePortRange(raw: string): { base: number; size: number } | string {
  const value = raw.trim();
  if (value === '') return { base: 0, size: 0 };
  const hyphen = value.indexOf('-');
  const plus = value.indexOf('+');
  let low: number | string;
  let high: number | string;
  if (hyphen < 0 && plus < 0) {
    low = high = atoi(value);
  } else if (hyphen >= 0 && plus < 0) {
    low = atoi(value.slice(0, hyphen));
    if (typeof low === 'string') return low;
    high = atoi(value.slice(hyphen + 1));
  } else if (plus >= 0 && hyphen < 0) {
    low = atoi(value.slice(0, plus));
    if (typeof low === 'string') return low;
    const offset = atoi(value.slice(plus + 1));
    if (typeof offset === 'string') return offset;
    high = low + offset;
  } else {
    return `unable to parse port range: ${value}`;
  }
  if (typeof low === 'string') return low;
  if (typeof high === 'string') return high;
  if (low > 65535 || high > 65535) return `the port range cannot be greater than 65535: ${value}`;
  if (high < low) return `end port cannot be less than start port: ${value}`;
  return { base: low, size: 1 + high - low };
}

const SECTION = 'Misc';

export const SERVICE_NETWORK_FLAGS: readonly FlagSpec<ServiceNetworkOptions>[] = [
  {
    name: 'service-cluster-ip-range',
    type: 'string',
    section: SECTION,
    usage:
      'A CIDR notation IP range from which to assign service cluster IPs. This must not overlap with any IP ranges ' +
      'assigned to nodes or pods. Max of two dual-stack CIDRs is allowed.',
    apply(options, raw) {
      options.serviceClusterIPRanges = raw;
      return undefined;
    },
  },
  {
    name: 'service-node-port-range',
    type: 'portRange',
    section: SECTION,
    usage:
      'A port range to reserve for services with NodePort visibility.  This must not overlap with the ephemeral port ' +
      "range on nodes.  Example: '30000-32767'. Inclusive at both ends of the range.",
    defaultText: portRangeString(SERVICE_NETWORK_DEFAULTS.serviceNodePortRange),
    apply(options, raw) {
      const parsed = parsePortRange(raw);
      if (typeof parsed === 'string') return parsed;
      options.serviceNodePortRange = parsed;
      return undefined;
    },
  },
  {
    name: 'advertise-address',
    type: 'ip',
    section: 'Generic',
    usage:
      'The IP address on which to advertise the apiserver to members of the cluster. This address must be reachable ' +
      'by the rest of the cluster. If blank, the --bind-address will be used. If --bind-address is unspecified, the ' +
      "host's default interface will be used.",
    apply(options, raw) {
      // pflag's IP flag keeps the previous value for an empty string.
      if (raw === '') return undefined;
      const trimmed = raw.trim();
      if (isIP(trimmed) === 0) return `failed to parse IP: ${goQuote(raw)}`;
      options.advertiseAddress = trimmed;
      return undefined;
    },
  },
];

/** The service CIDRs the flag names (primary first) and the Service IP of `kubernetes`, or the reason refused. */
export function serviceCIDRs(ranges: string): { cidrs: ParsedCIDR[]; problems: string[] } {
  const list = ranges === '' ? [] : ranges.split(',');
  if (list.length === 0) return { cidrs: [parseCIDRSloppy(DEFAULT_SERVICE_CIDR)!], problems: [] };
  const primary = parseCIDRSloppy(list[0]);
  // getServiceIPAndRanges (Complete) fails before Validate runs: its error is the only one.
  if (!primary) return { cidrs: [], problems: ['service-cluster-ip-range[0] is not a valid cidr'] };
  if (rangeSize(primary) < 8) {
    return {
      cidrs: [],
      problems: [
        'error determining service IP ranges for primary service cidr: the service cluster IP range must be at least 8 IP addresses',
      ],
    };
  }
  const cidrs = [primary];
  if (list.length > 1) {
    const secondary = parseCIDRSloppy(list[1]);
    if (!secondary) return { cidrs: [], problems: ['service-cluster-ip-range[1] is not an ip net'] };
    cidrs.push(secondary);
  }
  const problems: string[] = [];
  if (list.length > 2) problems.push('--service-cluster-ip-range must not contain more than two entries');
  if (cidrs.length === 2 && cidrs[0].v4 === cidrs[1].v4) {
    problems.push('--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family');
  }
  return { cidrs, problems };
}

/** netutils.RangeSize, capped as ServiceIPRange caps it (1<<16). */
function rangeSize(cidr: ParsedCIDR): number {
  const hostBits = (cidr.v4 ? 32 : 128) - cidr.bits;
  return hostBits >= 16 ? 1 << 16 : 2 ** hostBits;
}

/** The Validate checks of the three flags, with kube-apiserver's messages. */
export function validateServiceNetwork(options: ServiceNetworkOptions & { bindAddress: string }): string[] {
  const { cidrs, problems } = serviceCIDRs(options.serviceClusterIPRanges);
  if (cidrs.length === 0) return problems;
  const advertise = advertiseAddressFor(options);
  // validatePublicIPServiceClusterIPRangeIPFamilies (the lease endpoint reconciler is kube's default).
  if (advertise !== undefined) {
    const ip = parseIPSloppy(advertise)!;
    if (cidrs[0].v4 !== isIPv4(ip)) {
      problems.push(`service IP family ${goQuote(cidrString(cidrs[0]))} must match public address family ${goQuote(ipString(ip))}`);
    }
  }
  return problems;
}

/**
 * DefaultAdvertiseAddress: --advertise-address, else the bind address when it is a specific non-loopback one,
 * else the host's first non-loopback address (ChooseHostInterface), of the service network's family when it has one.
 */
export function advertiseAddressFor(options: { advertiseAddress: string; bindAddress: string }, preferV4 = true): string | undefined {
  if (options.advertiseAddress !== '') {
    const ip = parseIPSloppy(options.advertiseAddress);
    if (ip && !isUnspecified(ip)) return ipString(ip);
  }
  const bind = parseIPSloppy(options.bindAddress);
  if (bind && !isUnspecified(bind) && !isLoopback(bind)) return ipString(bind);
  const candidates = Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((a) => !a.internal && !a.address.startsWith('fe80:') && !a.address.startsWith('169.254.'));
  const preferred = candidates.find((a) => (a.family === 'IPv4') === preferV4) ?? candidates[0];
  return preferred?.address;
}

/** The checked flags as the server uses them. */
export function loadServiceNetworkConfig(options: ServiceNetworkOptions & { bindAddress: string }): ServiceNetworkConfig {
  const { cidrs } = serviceCIDRs(options.serviceClusterIPRanges);
  const advertise = advertiseAddressFor(options, cidrs[0].v4) ?? (cidrs[0].v4 ? '127.0.0.1' : '::1');
  return {
    serviceCIDRs: cidrs.map(cidrString),
    nodePortRange: { ...options.serviceNodePortRange },
    advertiseAddress: advertise,
  };
}

/** kube's defaults for a server started without flags (tests build their config directly). */
export function defaultServiceNetworkConfig(bindAddress: string): ServiceNetworkConfig {
  return loadServiceNetworkConfig({ ...SERVICE_NETWORK_DEFAULTS, bindAddress });
}
