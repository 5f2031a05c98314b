// Field selectors as kube parses and matches them (k8s.io/apimachinery v0.34 pkg/fields/selector.go).
// kube-apiserver answers a parse error, and an unsupported field label, with 400 BadRequest whose
// message is the error text.

import { badRequest, StatusError } from './errors.js';

export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  /** `==` parses to `=`; kube keeps no difference between them. */
  readonly operator: FieldOperator;
  readonly value: string;
}

/** The flattened fields an object offers for selection, e.g. `{"metadata.name": "x", "status.phase": "Running"}`. */
export type Fields = Readonly<Record<string, string>>;

export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
  toStatusError(): StatusError {
    return badRequest(this.message);
  }
}

/** Prefixes `\`, `,` and `=` with a backslash, as kube's EscapeValue does. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    // kube prints the rune with %v, i.e. as its code point number.
    else if (c === ',' || c === '=')
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** The comma-separated terms; an escaped comma stays in its term with its backslash. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** The first operator occurrence splits the term: the field side supports no escaping. */
function splitTerm(term: string): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class FieldSelector {
  private constructor(private readonly terms: readonly FieldRequirement[]) {}

  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  static fromRequirements(reqs: readonly FieldRequirement[]): FieldSelector {
    return new FieldSelector([...reqs]);
  }

  /** A missing field reads as '' (so `spec.nodeName=` selects objects without one, and `!=` matches them). */
  matches(fields: Fields): boolean {
    return this.terms.every((t) => {
      const v = Object.prototype.hasOwnProperty.call(fields, t.field) ? fields[t.field] : '';
      return t.operator === '=' ? v === t.value : v !== t.value;
    });
  }

  isEverything(): boolean {
    return this.terms.length === 0;
  }

  requirements(): readonly FieldRequirement[] {
    return this.terms;
  }

  /** The value an `=` term pins `field` to, if any (the first such term wins, as in kube). */
  requiresExactMatch(field: string): string | undefined {
    for (const t of this.terms) {
      if (t.field === field && t.operator === '=') return t.value;
    }
    return undefined;
  }

  /**
   * kube's Transform: maps every term (e.g. to rename a legacy field label, or to reject it by throwing);
   * a term mapped to an empty field and value is dropped.
   */
  transform(fn: (field: string, value: string) => { field: string; value: string }): FieldSelector {
    const next: FieldRequirement[] = [];
    for (const t of this.terms) {
      const r = fn(t.field, t.value);
      if (r.field === '' && r.value === '') continue;
      next.push({ field: r.field, operator: t.operator, value: r.value });
    }
    return new FieldSelector(next);
  }

  toString(): string {
    return this.terms.map((t) => `${t.field}${t.operator}${escapeFieldValue(t.value)}`).join(',');
  }
}

/**
 * fields.ParseSelector: comma-ANDed `field=value`, `field==value`, `field!=value`; `\,` `\=` `\\` escapes in
 * values; no whitespace trimming; empty terms are skipped. Throws FieldSelectorError with kube's message.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort(compareStrings);
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (split === undefined) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeFieldValue(split.rhs);
    reqs.push({ field: split.lhs, operator: split.op === '!=' ? '!=' : '=', value });
  }
  return FieldSelector.fromRequirements(reqs);
}

/** Labels every kind supports (runtime.DefaultMetaV1FieldSelectorConversion). */
export const DEFAULT_FIELD_LABELS: readonly string[] = ['metadata.name', 'metadata.namespace'];

/** A kind's own field label conversion (runtime.FieldLabelConversionFunc): what it accepts and what it renames. */
export interface FieldLabelConversion {
  supported: readonly string[];
  /** Legacy labels mapped to their current name, e.g. Pods' `spec.host` → `spec.nodeName`. */
  renames?: Readonly<Record<string, string>>;
}

/**
 * Converts a selector's field labels the way the list handler does (Transform with ConvertFieldLabel),
 * throwing kube's 400 on the first unsupported label in the selector's (sorted) order. kube has two texts:
 * - kinds that register a conversion (core/v1 Pods, Nodes, Events, Secrets, Namespaces,
 *   ReplicationControllers, apps/v1 StatefulSets, ..., and every custom resource):
 *   `field label not supported: <label>` — pass their `conversion`;
 * - every other kind (ConfigMaps, Deployments, Ingresses, PersistentVolumes, ...):
 *   `"<label>" is not a known field selector: only "metadata.name", "metadata.namespace"` — pass undefined.
 */
export function convertFieldLabels(selector: FieldSelector, conversion?: FieldLabelConversion): FieldSelector {
  return selector.transform((field, value) => {
    if (conversion === undefined) {
      if (DEFAULT_FIELD_LABELS.includes(field)) return { field, value };
      throw badRequest(`${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    const renamed =
      conversion.renames && Object.prototype.hasOwnProperty.call(conversion.renames, field) ? conversion.renames[field] : undefined;
    if (renamed !== undefined) return { field: renamed, value };
    if (conversion.supported.includes(field)) return { field, value };
    throw badRequest(`field label not supported: ${field}`);
  });
}
