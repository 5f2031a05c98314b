// Go's encoding/json syntax errors, as kube-apiserver v1.34 quoted them for these bodies (captured from the
// reference server), and kube's summarizeData.
import assert from 'node:assert/strict';
import { goJSONSyntaxError, summarizeBody } from '../../src/apimachinery/jsonsyntax.js';

describe("Go's JSON syntax errors", () => {
  const cases: Array<[string, string | undefined]> = [
    ['{"a":1}', undefined],
    [' [1, 2.5e-3, true, null, "x\\u00e9"] ', undefined],
    ['', 'unexpected end of JSON input'],
    ['{"apiVersion":"v1","kind":"ConfigMap","metadata":', 'unexpected end of JSON input'],
    ['{"metadata":{"name":"q"}, x}', "invalid character 'x' looking for beginning of object key string"],
    ['{"a":"1",}', "invalid character '}' looking for beginning of object key string"],
    ['{"a":1} trailing', "invalid character 't' after top-level value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['nul', "invalid character ' ' in literal null (expecting 'l')"],
    ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
    ['{"a":"x\ny"}', "invalid character '\\n' in string literal"],
    ["'single'", "invalid character '\\'' looking for beginning of value"],
    ['{"a":"unterminated', 'unexpected end of JSON input'],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} → ${want ?? 'valid'}`, () => assert.equal(goJSONSyntaxError(text), want));
  }

  it('summarizes a body as kube does: objects as text, the rest in hex, both cut at 30 bytes', () => {
    assert.equal(summarizeBody(''), '<empty>');
    assert.equal(summarizeBody('{"a":"\\x"}'), '{"a":"\\x"}');
    assert.equal(summarizeBody('{"apiVersion":"v1","kind":"ConfigMap","metadata":'), '{"apiVersion":"v1","kind":"Con ...');
    assert.equal(summarizeBody('nul'), '6e756c');
    assert.equal(summarizeBody('[1,2]'), '5b312c325d');
  });
});
