// Pod Security levels, policy versions and the namespace labels that choose them (k8s.io/pod-security-admission
// api/constants.go and api/helpers.go, v0.34): `pod-security.kubernetes.io/{enforce,audit,warn}` name a level,
// `...-version` a version (`latest` or `v1.x`); a missing label keeps the plugin's default (privileged:latest in
// kube's default configuration). Pure: no I/O.
import type { FieldError } from '../../apimachinery/errors.js';

export type Level = 'privileged' | 'baseline' | 'restricted';

const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** A policy version: `latest`, or v1.<minor> (a bigint: Go parses any int64 minor). */
export type Version = { latest: true } | { latest: false; minor: bigint };

export const LATEST: Version = { latest: true };

export function minorVersion(minor: number | bigint): Version {
  return { latest: false, minor: BigInt(minor) };
}

export interface LevelVersion {
  level: Level;
  version: Version;
}

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const ENFORCE_LEVEL_LABEL = `${LABEL_PREFIX}enforce`;
export const ENFORCE_VERSION_LABEL = `${LABEL_PREFIX}enforce-version`;
export const AUDIT_LEVEL_LABEL = `${LABEL_PREFIX}audit`;
export const AUDIT_VERSION_LABEL = `${LABEL_PREFIX}audit-version`;
export const WARN_LEVEL_LABEL = `${LABEL_PREFIX}warn`;
export const WARN_VERSION_LABEL = `${LABEL_PREFIX}warn-version`;

/** Audit annotations are `pod-security.kubernetes.io/<key>` (api.AuditAnnotationPrefix). */
export const AUDIT_ANNOTATION_PREFIX = LABEL_PREFIX;
export const EXEMPTION_REASON_ANNOTATION = 'exempt';
export const AUDIT_VIOLATIONS_ANNOTATION = 'audit-violations';
export const ENFORCED_POLICY_ANNOTATION = 'enforce-policy';

/** kube's default PodSecurityConfiguration: every mode privileged at latest. */
export const DEFAULT_POLICY: Policy = {
  enforce: { level: 'privileged', version: LATEST },
  audit: { level: 'privileged', version: LATEST },
  warn: { level: 'privileged', version: LATEST },
};

export function versionString(v: Version): string {
  return v.latest ? 'latest' : `v1.${v.minor}`;
}

/** `restricted:latest`, `baseline:v1.30`: how messages name a level and version. */
export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${versionString(lv.version)}`;
}

export function sameVersion(a: Version, b: Version): boolean {
  if (a.latest || b.latest) return a.latest === b.latest;
  return a.minor === b.minor;
}

export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && sameVersion(a.version, b.version);
}

/** Version.Older: latest is newer than every numbered version, even future ones. */
export function olderVersion(a: Version, b: Version): boolean {
  if (a.latest) return false;
  if (b.latest) return true;
  return a.minor < b.minor;
}

/** ParseLevel: an unknown level reads as restricted (enforce fails closed), with kube's message. */
export function parseLevel(text: string): { level: Level; error?: string } {
  if ((LEVELS as readonly string[]).includes(text)) return { level: text as Level };
  return { level: 'restricted', error: `must be one of ${LEVELS.join(', ')}` };
}

const MAX_INT64 = 9223372036854775807n;

/** ParseVersion: `latest` or `v1.<minor>` (no leading zero); anything else reads as latest, with kube's message. */
export function parseVersion(text: string): { version: Version; error?: string } {
  if (text === 'latest') return { version: LATEST };
  const match = /^v1\.([0-9]|[1-9][0-9]*)$/.exec(text);
  // Go's strconv.Atoi fails beyond int64; such a minor is refused with the same message.
  if (!match || BigInt(match[1]) > MAX_INT64) return { version: LATEST, error: 'must be "latest" or "v1.x"' };
  return { version: minorVersion(BigInt(match[1])) };
}

/** CompareLevels: privileged < baseline < restricted. */
export function compareLevels(a: Level, b: Level): number {
  return LEVELS.indexOf(a) - LEVELS.indexOf(b);
}

export function fullyPrivileged(p: Policy): boolean {
  return p.enforce.level === 'privileged' && p.audit.level === 'privileged' && p.warn.level === 'privileged';
}

/** LevelVersion.Equivalent: privileged is privileged at every version. */
export function equivalentLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return (a.level === 'privileged' && b.level === 'privileged') || sameLevelVersion(a, b);
}

export function equivalentPolicy(a: Policy, b: Policy): boolean {
  return equivalentLevelVersion(a.enforce, b.enforce) && equivalentLevelVersion(a.audit, b.audit) && equivalentLevelVersion(a.warn, b.warn);
}

/**
 * PolicyToEvaluate: the policy a namespace's labels select over the defaults, and the labels' errors (each a
 * metadata.labels[<label>] Invalid value). An invalid enforce level enforces restricted; an invalid audit or warn
 * level turns that mode off (privileged). Without a warn label, warn follows a stricter enforce level (and its
 * version, unless warn-version is given).
 */
export function policyToEvaluate(
  labels: Readonly<Record<string, string>> | undefined,
  defaults: Policy,
): { policy: Policy; errors: FieldError[] } {
  const p: Policy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errors: FieldError[] = [];
  if (!labels || Object.keys(labels).length === 0) return { policy: p, errors };
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  const fail = (label: string, value: string, detail: string | undefined) => {
    if (detail !== undefined) errors.push({ type: 'FieldValueInvalid', field: `metadata.labels[${label}]`, value, detail });
  };

  let hasEnforceLevel = false;
  if (has(ENFORCE_LEVEL_LABEL)) {
    const r = parseLevel(labels[ENFORCE_LEVEL_LABEL]);
    p.enforce.level = r.level;
    hasEnforceLevel = r.error === undefined; // an invalid enforce level does not raise warn
    fail(ENFORCE_LEVEL_LABEL, labels[ENFORCE_LEVEL_LABEL], r.error);
  }
  if (has(ENFORCE_VERSION_LABEL)) {
    const r = parseVersion(labels[ENFORCE_VERSION_LABEL]);
    p.enforce.version = r.version;
    fail(ENFORCE_VERSION_LABEL, labels[ENFORCE_VERSION_LABEL], r.error);
  }
  if (has(AUDIT_LEVEL_LABEL)) {
    const r = parseLevel(labels[AUDIT_LEVEL_LABEL]);
    p.audit.level = r.error === undefined ? r.level : 'privileged'; // audit fails open
    fail(AUDIT_LEVEL_LABEL, labels[AUDIT_LEVEL_LABEL], r.error);
  }
  if (has(AUDIT_VERSION_LABEL)) {
    const r = parseVersion(labels[AUDIT_VERSION_LABEL]);
    p.audit.version = r.version;
    fail(AUDIT_VERSION_LABEL, labels[AUDIT_VERSION_LABEL], r.error);
  }
  const hasWarnLevel = has(WARN_LEVEL_LABEL);
  if (hasWarnLevel) {
    const r = parseLevel(labels[WARN_LEVEL_LABEL]);
    p.warn.level = r.error === undefined ? r.level : 'privileged'; // warn fails open
    fail(WARN_LEVEL_LABEL, labels[WARN_LEVEL_LABEL], r.error);
  }
  const hasWarnVersion = has(WARN_VERSION_LABEL);
  if (hasWarnVersion) {
    const r = parseVersion(labels[WARN_VERSION_LABEL]);
    p.warn.version = r.version;
    fail(WARN_VERSION_LABEL, labels[WARN_VERSION_LABEL], r.error);
  }

  if (!hasWarnLevel && hasEnforceLevel && compareLevels(p.enforce.level, p.warn.level) > 0) {
    p.warn.level = p.enforce.level;
    if (!hasWarnVersion) p.warn.version = p.enforce.version;
  }
  return { policy: p, errors };
}
