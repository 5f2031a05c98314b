// cel-go's issue text for an expression that does not compile (common.Errors.ToDisplayString, as kube wraps it in
// "compilation failed: ..."), built from @marcbachmann/cel-js's parse and type errors: `ERROR: <input>:L:C: msg`, the
// source line, and a caret under the column. The wording follows cel-go's checker for the errors users meet most
// (undeclared references, undefined fields, overloads); others keep cel-js's wording.

interface CelJsError {
  message: string;
  summary?: string;
  range?: { start: number; end: number };
}

const BINARY: Readonly<Record<string, string>> = {
  '+': '_+_',
  '-': '_-_',
  '*': '_*_',
  '/': '_/_',
  '%': '_%_',
  '==': '_==_',
  '!=': '_!=_',
  '<': '_<_',
  '<=': '_<=_',
  '>': '_>_',
  '>=': '_>=_',
  in: '@in',
};

/** cel-js's type names as cel-go prints them: list<int> → list(int), dyn<double> → double, null → null_type. */
export function celGoTypeName(t: string): string {
  let s = t.trim();
  for (;;) {
    const next = s.replace(/dyn<([^<>]*)>/g, '$1');
    if (next === s) break;
    s = next;
  }
  s = s.replace(/</g, '(').replace(/>/g, ')');
  if (s === 'null') return 'null_type';
  if (/^[A-Z]$/.test(s)) return 'dyn';
  return s;
}

function summaryOf(e: CelJsError): string {
  return e.summary ?? e.message.split('\n\n')[0];
}

/** The offset of `token` at or after `from` (skipping string literals is not attempted: a first match is close enough). */
function find(source: string, token: string, from: number): number {
  const at = source.indexOf(token, Math.max(0, from));
  return at < 0 ? from : at;
}

/** cel-go's message and the offset it points at, from a cel-js error. */
function translate(
  source: string,
  e: CelJsError,
  parse: boolean,
  isFunction: (name: string) => boolean,
): { message: string; offset: number } {
  const summary = summaryOf(e);
  const start = e.range?.start ?? 0;
  if (parse) return { message: `Syntax error: ${summary}`, offset: start };
  let m = /^Unknown variable: (.+)$/.exec(summary);
  if (m) return { message: `undeclared reference to '${m[1]}' (in container '')`, offset: start };
  m = /^No such key: (.+)$/.exec(summary);
  if (m) return { message: `undefined field '${m[1]}'`, offset: Math.max(0, start - 1) };
  m = /^no such overload: (\S+) (\S+) (\S+)$/.exec(summary);
  if (m && BINARY[m[2]]) {
    return {
      message: `found no matching overload for '${BINARY[m[2]]}' applied to '(${celGoTypeName(m[1])}, ${celGoTypeName(m[3])})'`,
      offset: find(source, m[2], start + 1),
    };
  }
  m = /^found no matching overload for '(?:([\w.<>, ]+)\.)?(\w+)\((.*)\)'$/.exec(summary);
  if (m) {
    const [, receiver, name, args] = m;
    const at = find(source, `${name}(`, start) + name.length;
    if (!isFunction(name)) return { message: `undeclared reference to '${name}' (in container '')`, offset: at };
    const applied = `${receiver ? `${celGoTypeName(receiver)}.` : ''}(${args
      .split(', ')
      .filter((a) => a !== '')
      .map(celGoTypeName)
      .join(', ')})`;
    return { message: `found no matching overload for '${name}' applied to '${applied}'`, offset: at };
  }
  m = /^(?:\w+ elements must have the same type|Map (?:key|value) uses wrong type), (expected type .*)$/.exec(summary);
  if (m) return { message: m[1].replace(/'([^']*)'/g, (_s, t: string) => `'${celGoTypeName(t)}'`), offset: start };
  return { message: summary, offset: start };
}

function display(source: string, message: string, offset: number): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = [...source.slice(lineStart, offset)].length;
  const text = source.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${column + 1}: ${message}\n | ${text}\n | ${'.'.repeat(column)}^`;
}

/**
 * `ERROR: <input>:L:C: message` with the source line and a caret, as cel-go displays an issue. An undeclared name
 * called as a namespace (`math.greatest(...)`) is two issues in cel-go: the name, then the function at its `(`.
 */
export function formatIssue(source: string, error: CelJsError, parse: boolean, isFunction: (name: string) => boolean): string {
  const { message, offset } = translate(source, error, parse, isFunction);
  const out = display(source, message, offset);
  const undeclared = /^undeclared reference to '([\w.]+)' \(in container ''\)$/.exec(message);
  if (undeclared) {
    const call = /^\s*\.\s*(\w+)\s*\(/.exec(source.slice(offset + undeclared[1].length));
    if (call) {
      const paren = offset + undeclared[1].length + call[0].length - 1;
      return `${out}\n${display(source, `undeclared reference to '${call[1]}' (in container '')`, paren)}`;
    }
  }
  return out;
}

/** The issue of a name kube does not declare though cel-js has it (cel.bind: kube's environment lacks ext.Bindings). */
export function undeclaredIssue(source: string, name: string, offset: number): string {
  return formatIssue(
    source,
    { message: `Unknown variable: ${name}`, range: { start: offset, end: offset + name.length } },
    false,
    () => false,
  );
}
