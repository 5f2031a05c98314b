// Warning headers as kube's warning recorder writes them (src/endpoints/warning.ts).
import assert from 'node:assert/strict';
import { addWarning, warningHeader } from '../../src/endpoints/warning.js';

describe('Warning headers', () => {
  it('quotes only " and \\, as net.NewWarningHeader does', () => {
    assert.equal(warningHeader('container "c" must not set a\\b'), '299 - "container \\"c\\" must not set a\\\\b"');
    assert.equal(warningHeader('ümlaut'), '299 - "ümlaut"');
  });

  it('drops empty texts and texts with control characters', () => {
    assert.equal(warningHeader(''), undefined);
    assert.equal(warningHeader('a\nb'), undefined);
    assert.equal(warningHeader('a\u0085b'), undefined);
  });

  it('escapes what Node cannot send in a header instead of failing the request', () => {
    assert.equal(warningHeader('Ж 😀'), '299 - "\\u0416 \\u1f600"');
  });

  it('adds each text once per response', () => {
    const headers: string[] = [];
    const seen = new Set<string>();
    for (const text of ['a', 'b', 'a', '', 'x\ty']) addWarning((_name, value) => headers.push(value), seen, text);
    assert.deepEqual(headers, ['299 - "a"', '299 - "b"']);
  });
});
