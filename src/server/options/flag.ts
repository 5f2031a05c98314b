// One flag as spf13/pflag describes it: name, shorthand, type word, help section, usage and how a value is stored.
// The constructors cover the value types kube-apiserver's flags use, with pflag's "(default ...)" text per type.

import { formatGoDuration, parseGoDuration } from '../../apimachinery/duration.js';
import { goQuote, parseGoBool, parseGoInt } from '../../apimachinery/strconv.js';

/** pflag's type word shown in --help ("bool" is never shown). */
export type FlagType =
  'strings' | 'stringArray' | 'string' | 'int' | 'bool' | 'duration' | 'ip' | 'Level' | 'mapStringString' | 'portRange';

export interface FlagSpec<O> {
  name: string;
  shorthand?: string;
  type: FlagType;
  /** The --help heading the flag is listed under, as kube-apiserver groups its flag sets. */
  section: string;
  usage: string;
  /** Shown as "(default ...)" in --help, formatted the way pflag does for the type; absent for zero values. */
  defaultText?: string;
  /**
   * Writes a parsed value into the options and returns the reason a value is refused; `firstSet` lets list flags
   * replace their default once, then append.
   */
  apply(options: O, raw: string, firstSet: boolean): string | undefined;
}

/** The keys of O whose values are of type T, so a constructor can only store a flag where its type fits. */
type KeysOf<O, T> = { [K in keyof O]: O[K] extends T ? K : never }[keyof O];

interface FlagText {
  name: string;
  section: string;
  usage: string;
}

export function stringFlag<O, K extends KeysOf<O, string>>(text: FlagText, key: K, defaults: Readonly<O>): FlagSpec<O> {
  const fallback = defaults[key] as string;
  return {
    ...text,
    type: 'string',
    defaultText: fallback === '' ? undefined : goQuote(fallback),
    apply(options, raw) {
      (options as Record<K, string>)[key] = raw;
      return undefined;
    },
  };
}

const NS_PER_MS = 1e6;

/** A time.Duration flag stored in milliseconds. */
export function durationFlag<O, K extends KeysOf<O, number>>(text: FlagText, key: K, defaults: Readonly<O>): FlagSpec<O> {
  return {
    ...text,
    type: 'duration',
    defaultText: formatGoDuration((defaults[key] as number) * NS_PER_MS),
    apply(options, raw) {
      const parsed = parseGoDuration(raw);
      if (typeof parsed === 'string') return parsed;
      (options as Record<K, number>)[key] = parsed / NS_PER_MS;
      return undefined;
    },
  };
}

export function boolFlag<O, K extends KeysOf<O, boolean>>(text: FlagText, key: K, defaults: Readonly<O>): FlagSpec<O> {
  return {
    ...text,
    type: 'bool',
    defaultText: defaults[key] ? 'true' : undefined,
    apply(options, raw) {
      const parsed = parseGoBool(raw);
      if (typeof parsed === 'string') return parsed;
      (options as Record<K, boolean>)[key] = parsed;
      return undefined;
    },
  };
}

export interface IntParsing {
  /** strconv.ParseInt's base: 0 for pflag's int flags (Go prefixes allowed), 10 for klog's Level. */
  base: 0 | 10;
  bits: 32 | 64;
  type?: 'int' | 'Level';
  shorthand?: string;
  /** A check pflag does not make but the flag needs at parse time; returns the reason a value is refused. */
  check?: (value: number) => string | undefined;
}

export function intFlag<O, K extends KeysOf<O, number>>(text: FlagText, key: K, defaults: Readonly<O>, parsing: IntParsing): FlagSpec<O> {
  const fallback = defaults[key] as number;
  return {
    ...text,
    type: parsing.type ?? 'int',
    ...(parsing.shorthand && { shorthand: parsing.shorthand }),
    defaultText: fallback === 0 ? undefined : String(fallback),
    apply(options, raw) {
      const parsed = parseGoInt(raw, parsing.base, parsing.bits);
      if (typeof parsed === 'string') return parsed;
      const refused = parsing.check?.(parsed);
      if (refused !== undefined) return refused;
      (options as Record<K, number>)[key] = parsed;
      return undefined;
    },
  };
}
