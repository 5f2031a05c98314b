// kube-apiserver's --token-auth-file: CSV lines of token,user,uid[,"group1,group2"], read with the rules of Go's
// encoding/csv (quoted fields, "" escapes, blank lines skipped, variable field counts) and tokenfile.go's checks.

/** One line of a --token-auth-file: token,user,uid[,"group1,group2"]. */
export interface StaticToken {
  token: string;
  user: string;
  uid: string;
  groups: string[];
}

export interface TokenFileSettings {
  /** Shown in messages, as kube-apiserver shows the path; defaults to "<inline>". */
  source?: string;
  /** Receives kube-apiserver's warnings (empty and duplicate tokens). */
  warn?: (message: string) => void;
}

/**
 * Parses a token file. Empty tokens are skipped with a warning; a duplicated token warns and the later line wins,
 * as in kube-apiserver. Throws on a record with fewer than 3 columns or on malformed CSV.
 */
export function parseTokenFile(text: string, settings: TokenFileSettings = {}): StaticToken[] {
  const source = settings.source ?? '<inline>';
  const warn = settings.warn ?? (() => undefined);
  const tokens = new Map<string, StaticToken>();
  let recordNumber = 0;
  for (const record of readCsv(text)) {
    if (record.length < 3) {
      throw new Error(`token file '${source}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    }
    recordNumber++;
    const [token, user, uid, groups] = record;
    if (token === '') {
      warn(`empty token has been found in token file '${source}', record number '${recordNumber}'`);
      continue;
    }
    if (tokens.has(token)) {
      warn(`duplicate token has been found in token file '${source}', record number '${recordNumber}'`);
    }
    tokens.set(token, { token, user, uid, groups: groups === undefined ? [] : groups.split(',') });
  }
  return [...tokens.values()];
}

/** Writes tokens back in the same format, quoting only where CSV needs it. */
export function renderTokenFile(tokens: readonly StaticToken[]): string {
  return tokens
    .map((entry) => {
      const fields = [entry.token, entry.user, entry.uid];
      if (entry.groups.length > 0) fields.push(entry.groups.join(','));
      return fields.map(csvField).join(',');
    })
    .map((line) => `${line}\n`)
    .join('');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value.startsWith(' ') ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Go encoding/csv with Comma ',', no comments, LazyQuotes false, FieldsPerRecord -1. */
export function readCsv(text: string): string[][] {
  const records: string[][] = [];
  const input = text.replace(/\r\n/g, '\n');
  let position = 0;
  let line = 1;
  while (position < input.length) {
    if (input[position] === '\n') {
      // Go skips empty lines entirely.
      position++;
      line++;
      continue;
    }
    const recordLine = line;
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (input[position] === '"') {
        const fieldColumn = columnOf(input, position);
        position++;
        for (;;) {
          const quote = input.indexOf('"', position);
          if (quote === -1) {
            throw csvError(recordLine, line, fieldColumn, 'extraneous or missing " in quoted-field');
          }
          const chunk = input.slice(position, quote);
          line += countNewlines(chunk);
          field += chunk;
          position = quote + 1;
          if (input[position] === '"') {
            field += '"';
            position++;
            continue;
          }
          if (position >= input.length || input[position] === ',' || input[position] === '\n') break;
          throw csvError(recordLine, line, columnOf(input, position), 'extraneous or missing " in quoted-field');
        }
      } else {
        const end = nextDelimiter(input, position);
        field = input.slice(position, end);
        const bareQuote = field.indexOf('"');
        if (bareQuote !== -1) {
          throw csvError(recordLine, line, columnOf(input, position + bareQuote), 'bare " in non-quoted-field');
        }
        position = end;
      }
      record.push(field);
      if (input[position] === ',') {
        position++;
        continue;
      }
      if (input[position] === '\n') {
        position++;
        line++;
      }
      break;
    }
    records.push(record);
  }
  return records;
}

function nextDelimiter(input: string, from: number): number {
  for (let index = from; index < input.length; index++) {
    if (input[index] === ',' || input[index] === '\n') return index;
  }
  return input.length;
}

function countNewlines(text: string): number {
  let count = 0;
  for (const character of text) if (character === '\n') count++;
  return count;
}

/** 1-based column (in characters) of `position` within its line, as Go reports it. */
function columnOf(input: string, position: number): number {
  const lineStart = input.lastIndexOf('\n', position - 1) + 1;
  return [...input.slice(lineStart, position)].length + 1;
}

function csvError(recordLine: number, errorLine: number, column: number, reason: string): Error {
  const where =
    recordLine !== errorLine
      ? `record on line ${recordLine}; parse error on line ${errorLine}, column ${column}`
      : `parse error on line ${errorLine}, column ${column}`;
  return new Error(`${where}: ${reason}`);
}
