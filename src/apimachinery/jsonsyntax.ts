// Go's encoding/json syntax errors, word for word (encoding/json/scanner.go), for bodies JSON.parse refused:
// kube-apiserver quotes them in its 400s, and clients and scripts compare those texts. Only the error path runs
// this scanner; valid JSON is parsed by JSON.parse.

/** Go's quoteChar: a byte as the scanner names it in messages. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  // strconv.Quote, with the double quotes swapped for single ones.
  const q = JSON.stringify(c).slice(1, -1);
  const code = c.codePointAt(0)!;
  if (code < 0x20 && !['\\n', '\\r', '\\t', '\\b', '\\f'].includes(q)) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  if (q === '\\b') return `'\\b'`;
  if (q === '\\f') return `'\\f'`;
  return `'${q}'`;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);

class SyntaxError extends Error {}

/**
 * The message Go's json.Unmarshal gives for `text`, or undefined when Go would accept it. `text` is scanned as
 * bytes would be (one JavaScript character standing for one byte is close enough: only ASCII appears in the
 * structural positions Go reports).
 */
export function goJSONSyntaxError(text: string): string | undefined {
  let i = 0;
  const n = text.length;
  const fail = (c: string, what: string): never => {
    throw new SyntaxError(`invalid character ${quoteChar(c)} ${what}`);
  };
  const end = (): never => {
    throw new SyntaxError('unexpected end of JSON input');
  };
  const skipSpace = () => {
    while (i < n && isSpace(text[i])) i++;
  };

  const literal = (word: string) => {
    // The first letter was matched by the caller.
    for (let k = 1; k < word.length; k++) {
      // At the end of input Go's scanner steps once more with a space (scanner.eof), so a cut literal, number or
      // escape reports ' ' rather than the end.
      if (i >= n) fail(' ', `in literal ${word} (expecting ${quoteChar(word[k])})`);
      if (text[i] !== word[k]) fail(text[i], `in literal ${word} (expecting ${quoteChar(word[k])})`);
      i++;
    }
  };

  const string = () => {
    // At the opening quote.
    i++;
    for (;;) {
      if (i >= n) end();
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        if (i >= n) fail(' ', 'in string escape code');
        const e = text[i];
        if ('"\\/bfnrt'.includes(e)) {
          i++;
          continue;
        }
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (i >= n) fail(' ', 'in \\u hexadecimal character escape');
            if (!isHex(text[i])) fail(text[i], 'in \\u hexadecimal character escape');
            i++;
          }
          continue;
        }
        fail(e, 'in string escape code');
      }
      if (c < ' ') fail(c, 'in string literal');
      i++;
    }
  };

  const number = () => {
    if (text[i] === '-') {
      i++;
      if (i >= n) fail(' ', 'in numeric literal');
      if (!isDigit(text[i])) fail(text[i], 'in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (i < n && isDigit(text[i])) i++;
    if (i < n && text[i] === '.') {
      i++;
      if (i >= n) fail(' ', 'after decimal point in numeric literal');
      if (!isDigit(text[i])) fail(text[i], 'after decimal point in numeric literal');
      while (i < n && isDigit(text[i])) i++;
    }
    if (i < n && (text[i] === 'e' || text[i] === 'E')) {
      i++;
      if (i < n && (text[i] === '+' || text[i] === '-')) i++;
      if (i >= n) fail(' ', 'in exponent of numeric literal');
      if (!isDigit(text[i])) fail(text[i], 'in exponent of numeric literal');
      while (i < n && isDigit(text[i])) i++;
    }
  };

  const value = (): void => {
    skipSpace();
    if (i >= n) end();
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (i >= n) end();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        if (i >= n) end();
        if (text[i] !== '"') fail(text[i], 'looking for beginning of object key string');
        string();
        skipSpace();
        if (i >= n) end();
        if (text[i] !== ':') fail(text[i], 'after object key');
        i++;
        value();
        skipSpace();
        if (i >= n) end();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(text[i], 'after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      skipSpace();
      if (i >= n) end();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        skipSpace();
        if (i >= n) end();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(text[i], 'after array element');
      }
    }
    if (c === '"') return string();
    if (c === '-' || isDigit(c)) return number();
    if (c === 't') {
      i++;
      return literal('true');
    }
    if (c === 'f') {
      i++;
      return literal('false');
    }
    if (c === 'n') {
      i++;
      return literal('null');
    }
    fail(c, 'looking for beginning of value');
  };

  try {
    value();
    skipSpace();
    if (i < n) fail(text[i], 'after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return e.message;
    throw e;
  }
}

/** kube's summarizeData (handlers/rest.go): an object's first 30 bytes, anything else in hex, for decode errors. */
export function summarizeBody(data: Buffer | string, maxLength = 30): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (bytes.length === 0) return '<empty>';
  if (bytes[0] === 0x7b) return bytes.length > maxLength ? `${bytes.subarray(0, maxLength).toString('utf8')} ...` : bytes.toString('utf8');
  return bytes.length > maxLength ? `${bytes.subarray(0, maxLength).toString('hex')} ...` : bytes.toString('hex');
}
