// Label selectors as kube parses and matches them (k8s.io/apimachinery v0.34 pkg/labels/selector.go and
// metav1.LabelSelectorAsSelector). Parse errors carry kube's exact text; kube-apiserver answers them with
// 400 BadRequest and the text as the Status message, e.g. for `labelSelector=a===b`:
//   unable to parse requirement: found '=', expected: identifier

import { badRequest, type StatusError } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './validation.js';

/** kube's selection.Operator strings. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and de-duplicated for parsed selectors, as kube's sets.String does. */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | null | undefined;

/** A label selector that could not be parsed or built; the message is kube's, for a 400 BadRequest. */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
  toStatusError(): StatusError {
    return badRequest(this.message);
  }
}

const BINARY_OPERATORS: readonly LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

function lookup(labels: Labels, key: string): string | undefined {
  if (labels == null || !Object.prototype.hasOwnProperty.call(labels, key)) return undefined;
  return labels[key];
}

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined;
  return v;
}

function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  const val = lookup(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return val !== undefined && r.values.includes(val);
    case 'notin':
    case '!=':
      return val === undefined || !r.values.includes(val);
    case 'exists':
      return val !== undefined;
    case '!':
      return val === undefined;
    case 'gt':
    case 'lt': {
      if (val === undefined || r.values.length !== 1) return false;
      const have = parseInt64(val);
      const want = parseInt64(r.values[0]);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

function sortedCopy(values: readonly string[]): string[] {
  return [...values].sort(compareStrings);
}

/** Go string order (byte-wise); equal to UTF-16 order except around surrogates, which label values never hold. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function requirementToString(r: LabelRequirement): string {
  let s = r.operator === '!' ? `!${r.key}` : r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return s;
    case '=':
    case '==':
    case '!=':
      s += r.operator;
      break;
    case 'in':
      s += ' in ';
      break;
    case 'notin':
      s += ' notin ';
      break;
    case 'gt':
      s += '>';
      break;
    case 'lt':
      s += '<';
      break;
  }
  const vals = r.values.length === 1 ? r.values[0] : sortedCopy(r.values).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : `${s}${vals}`;
}

export class LabelSelector {
  private constructor(
    readonly requirements: readonly LabelRequirement[],
    /** labels.Nothing(): what a nil metav1.LabelSelector means. */
    private readonly nothing: boolean,
  ) {}

  static everything(): LabelSelector {
    return new LabelSelector([], false);
  }

  static nothing(): LabelSelector {
    return new LabelSelector([], true);
  }

  /** Requirements are sorted by key (stable), as kube's Add and Parse do. */
  static fromRequirements(reqs: readonly LabelRequirement[]): LabelSelector {
    return new LabelSelector(
      [...reqs].sort((a, b) => compareStrings(a.key, b.key)),
      false,
    );
  }

  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  /** kube's Empty(): selects everything. */
  isEverything(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  isNothing(): boolean {
    return this.nothing;
  }

  /** The value a selector pins `label` to (`=`, `==`, or `in` with one value), if any. */
  requiresExactMatch(label: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key !== label) continue;
      if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
      return undefined;
    }
    return undefined;
  }

  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

// ---- NewRequirement --------------------------------------------------------------------------------------

/** A Go field.Error rendered as text, with Go's value formatting for the cases reachable here. */
function renderInvalid(field: string, value: string | readonly string[] | null, detail: string): string {
  return `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`;
}

/** utilerrors aggregate: one message alone, several de-duplicated in brackets. */
function aggregate(msgs: string[]): string | undefined {
  const unique = [...new Set(msgs)];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

function keyError(key: string, field: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length === 0 ? undefined : renderInvalid(field, key, errs.join('; '));
}

/**
 * labels.NewRequirement with a nil field path. `values === null` stands for a nil Go slice, which kube
 * renders as `null` in messages (metav1 selectors with no values).
 */
export function newRequirement(key: string, operator: LabelOperator, values: readonly string[] | null): LabelRequirement {
  const vals = values ?? [];
  const errs: string[] = [];
  const ke = keyError(key, 'key');
  if (ke) errs.push(ke);
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(renderInvalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(renderInvalid('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(renderInvalid('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(renderInvalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined)
          errs.push(renderInvalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  vals.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length > 0) errs.push(renderInvalid(`values[${i}][${key}]`, v, ve.join('; ')));
  });
  const msg = aggregate(errs);
  if (msg !== undefined) throw new LabelSelectorError(msg);
  return { key, operator, values: [...vals] };
}

// ---- lexer -------------------------------------------------------------------------------------------------

const enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const STRING_TO_TOKEN: ReadonlyMap<string, Tok> = new Map([
  [')', Tok.ClosedPar],
  [',', Tok.Comma],
  ['!', Tok.DoesNotExist],
  ['==', Tok.DoubleEquals],
  ['=', Tok.Equals],
  ['>', Tok.GreaterThan],
  ['in', Tok.In],
  ['<', Tok.LessThan],
  ['!=', Tok.NotEquals],
  ['notin', Tok.NotIn],
  ['(', Tok.OpenPar],
]);

interface Scanned {
  tok: Tok;
  lit: string;
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  /** '' at the end; a NUL in the input also ends it, as in kube's byte lexer. */
  private read(): string {
    if (this.pos < this.s.length) return this.s[this.pos++];
    this.pos++;
    return '';
  }

  private unread(): void {
    this.pos--;
  }

  private scanIdOrKeyword(): Scanned {
    let buf = '';
    for (;;) {
      const ch = this.read();
      if (ch === '' || ch === '\0') break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buf += ch;
    }
    const kw = STRING_TO_TOKEN.get(buf);
    return kw !== undefined ? { tok: kw, lit: buf } : { tok: Tok.Identifier, lit: buf };
  }

  private scanSpecialSymbol(): Scanned {
    let last: Scanned | undefined;
    let buf = '';
    for (;;) {
      const ch = this.read();
      if (ch === '' || ch === '\0') break;
      if (!isSpecialSymbol(ch)) {
        this.unread();
        break;
      }
      buf += ch;
      const t = STRING_TO_TOKEN.get(buf);
      if (t !== undefined) {
        last = { tok: t, lit: buf };
      } else if (last !== undefined) {
        this.unread();
        break;
      }
    }
    return last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buf}'` };
  }

  lex(): Scanned {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === '' || ch === '\0') return { tok: Tok.EndOfString, lit: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIdOrKeyword();
  }
}

// ---- parser ------------------------------------------------------------------------------------------------

class Parser {
  private readonly items: Scanned[] = [];
  private position = 0;

  constructor(input: string) {
    const lexer = new Lexer(input);
    for (;;) {
      const item = lexer.lex();
      this.items.push(item);
      if (item.tok === Tok.EndOfString) break;
    }
  }

  /** In a values context the keywords `in` and `notin` are plain identifiers. */
  private lookahead(values: boolean): Scanned {
    return this.asContext(this.items[this.position], values);
  }

  private consume(values: boolean): Scanned {
    return this.asContext(this.items[this.position++], values);
  }

  private asContext(item: Scanned, values: boolean): Scanned {
    if (values && (item.tok === Tok.In || item.tok === Tok.NotIn)) return { tok: Tok.Identifier, lit: item.lit };
    return item;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      switch (tok) {
        case Tok.Identifier:
        case Tok.DoesNotExist: {
          try {
            reqs.push(this.parseRequirement());
          } catch (e) {
            if (e instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${e.message}`);
            throw e;
          }
          const next = this.consume(true);
          if (next.tok === Tok.EndOfString) return reqs;
          if (next.tok === Tok.Comma) {
            const after = this.lookahead(true);
            if (after.tok !== Tok.Identifier && after.tok !== Tok.DoesNotExist) {
              throw new LabelSelectorError(`found '${after.lit}', expected: identifier after ','`);
            }
            break;
          }
          throw new LabelSelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
        }
        case Tok.EndOfString:
          return reqs;
        default:
          throw new LabelSelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort(compareStrings));
  }

  private parseKeyAndInferOperator(): { key: string; operator: LabelOperator | '' } {
    let operator: LabelOperator | '' = '';
    let item = this.consume(true);
    if (item.tok === Tok.DoesNotExist) {
      operator = '!';
      item = this.consume(true);
    }
    if (item.tok !== Tok.Identifier) throw new LabelSelectorError(`found '${item.lit}', expected: identifier`);
    const errs = isQualifiedName(item.lit);
    // kube validates the key here with a nil field path, hence the literal `<nil>`.
    if (errs.length > 0) throw new LabelSelectorError(renderInvalid('<nil>', item.lit, errs.join('; ')));
    const next = this.lookahead(true).tok;
    if ((next === Tok.EndOfString || next === Tok.Comma) && operator !== '!') operator = 'exists';
    return { key: item.lit, operator };
  }

  private parseOperator(): LabelOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new LabelSelectorError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume(true);
    if (open.tok !== Tok.OpenPar) throw new LabelSelectorError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    switch (tok) {
      case Tok.Identifier:
      case Tok.Comma: {
        const s = this.parseIdentifiersList();
        if (this.consume(true).tok !== Tok.ClosedPar) throw new LabelSelectorError(`found '${lit}', expected: ')'`);
        return s;
      }
      case Tok.ClosedPar:
        this.consume(true);
        return new Set(['']);
      default:
        throw new LabelSelectorError(`found '${lit}', expected: ',', ')' or identifier`);
    }
  }

  /** A possibly empty list of possibly empty identifiers: `(a,,b)` holds a, '' and b. */
  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === Tok.Identifier) {
        s.add(lit);
        const next = this.lookahead(true);
        if (next.tok === Tok.Comma) continue;
        if (next.tok === Tok.ClosedPar) return s;
        throw new LabelSelectorError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok === Tok.Comma) {
        if (s.size === 0) s.add('');
        const next = this.lookahead(true).tok;
        if (next === Tok.ClosedPar) {
          s.add('');
          return s;
        }
        if (next === Tok.Comma) s.add('');
        continue;
      }
      throw new LabelSelectorError(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): Set<string> {
    const ahead = this.lookahead(true).tok;
    if (ahead === Tok.EndOfString || ahead === Tok.Comma) return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === Tok.Identifier) return new Set([lit]);
    throw new LabelSelectorError(`found '${lit}', expected: identifier`);
  }
}

/**
 * labels.Parse: `=`, `==`, `!=`, `in (a,b)`, `notin (a,b)`, `key`, `!key`, `>`/`<` integers, comma-ANDed,
 * whitespace (space, tab, CR, LF) between tokens. The empty string selects everything.
 * Throws LabelSelectorError with kube's message.
 */
export function parseLabelSelector(s: string): LabelSelector {
  return LabelSelector.fromRequirements(new Parser(s).parse());
}

// ---- metav1.LabelSelector -------------------------------------------------------------------------------

export interface Metav1LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

const METAV1_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelectorAsSelector: a missing selector selects nothing, an empty one everything.
 * Throws LabelSelectorError (kube's text) for invalid keys, values or operators.
 */
export function labelSelectorFromMetav1(sel: Metav1LabelSelector | null | undefined): LabelSelector {
  if (sel == null) return LabelSelector.nothing();
  const matchLabels = Object.entries(sel.matchLabels ?? {});
  const exprs = sel.matchExpressions ?? [];
  if (matchLabels.length + exprs.length === 0) return LabelSelector.everything();
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of matchLabels) reqs.push(newRequirement(k, '=', [v]));
  for (const expr of exprs) {
    const op = Object.prototype.hasOwnProperty.call(METAV1_OPERATORS, expr.operator) ? METAV1_OPERATORS[expr.operator] : undefined;
    if (op === undefined) throw new LabelSelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    // kube copies values with append([]string(nil), ...): no values is a nil slice.
    const values = expr.values && expr.values.length > 0 ? [...expr.values] : null;
    reqs.push(newRequirement(expr.key, op, values));
  }
  return LabelSelector.fromRequirements(reqs);
}
