// GET /version: k8s.io/apimachinery/pkg/version.Info as kube-apiserver v1.34 writes it (indented JSON,
// Content-Type application/json). Helm reads gitVersion as .Capabilities.KubeVersion; kubectl prints it.
import { statSync } from 'node:fs';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';
import type Koa from 'koa';
import { formatTime } from '../apimachinery/time.js';

/** The Kubernetes API version kgate serves (the models of @kubernetes/client-node 1.4). */
export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '34';

/**
 * Build metadata (`+kgate`), not a prerelease (`-kgate`): semver ranges such as Helm's `>= 1.24.0` exclude
 * prereleases but ignore build metadata (k3s reports `v1.34.1+k3s1` for the same reason).
 */
export const DEFAULT_GIT_VERSION = `v${KUBE_MAJOR}.${KUBE_MINOR}.0+kgate`;

export interface VersionInfo {
  major: string;
  minor: string;
  emulationMajor: string;
  emulationMinor: string;
  minCompatibilityMajor: string;
  minCompatibilityMinor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export interface VersionOptions {
  gitVersion?: string;
  /** 40-hex commit of the kgate build; kube leaves it empty when not stamped at build time. */
  gitCommit?: string;
  gitTreeState?: 'clean' | 'dirty';
  /** RFC 3339 in UTC without fractional seconds, e.g. 2025-08-27T10:09:04Z. Default: when this module was built. */
  buildDate?: string;
}

const GO_OS: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm: 'arm',
  arm64: 'arm64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/** `linux/amd64`: Node's platform and arch in Go's GOOS/GOARCH spelling, as kube's platform field uses. */
export function goPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const goArch = arch === 'ppc64' ? (endianness() === 'LE' ? 'ppc64le' : 'ppc64') : (GO_ARCH[arch] ?? arch);
  return `${GO_OS[platform] ?? platform}/${goArch}`;
}

function moduleBuildDate(): string {
  try {
    return formatTime(statSync(fileURLToPath(import.meta.url)).mtime);
  } catch {
    // Same fallback as kube's unstamped builds.
    return '1970-01-01T00:00:00Z';
  }
}

export function versionInfo(options: VersionOptions = {}): VersionInfo {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    emulationMajor: KUBE_MAJOR,
    emulationMinor: KUBE_MINOR,
    minCompatibilityMajor: KUBE_MAJOR,
    minCompatibilityMinor: String(Number(KUBE_MINOR) - 1),
    gitVersion: options.gitVersion ?? DEFAULT_GIT_VERSION,
    gitCommit: options.gitCommit ?? '',
    gitTreeState: options.gitTreeState ?? 'clean',
    buildDate: options.buildDate ?? moduleBuildDate(),
    goVersion: `node${process.versions.node}`,
    compiler: 'node',
    platform: goPlatform(),
  };
}

export interface VersionEndpoint {
  readonly info: VersionInfo;
  /** Answers GET /version; false for any other request. */
  handle(ctx: Koa.Context): boolean;
}

export function createVersion(info: VersionInfo = versionInfo()): VersionEndpoint {
  // kube's WriteRawJSON: json.MarshalIndent(info, "", "  "), no trailing newline.
  const body = JSON.stringify(info, null, 2);
  return {
    info,
    handle(ctx: Koa.Context): boolean {
      if (ctx.path !== '/version' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return false;
      ctx.status = 200;
      ctx.set('Content-Type', 'application/json');
      ctx.body = body;
      return true;
    },
  };
}

let defaultEndpoint: VersionEndpoint | undefined;

/** GET /version with the default VersionInfo (use createVersion to stamp a commit or build date). */
export function handleVersion(ctx: Koa.Context): boolean {
  defaultEndpoint ??= createVersion();
  return defaultEndpoint.handle(ctx);
}
