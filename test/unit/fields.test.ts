import assert from 'node:assert/strict';
import {
  convertFieldLabels,
  escapeFieldValue,
  FieldSelectorError,
  parseFieldSelector,
  unescapeFieldValue,
} from '../../src/apimachinery/fields.js';
import { isStatusError } from '../../src/apimachinery/errors.js';

function parseError(s: string): string {
  try {
    parseFieldSelector(s);
  } catch (e) {
    assert.ok(e instanceof FieldSelectorError, `expected FieldSelectorError, got ${String(e)}`);
    return e.message;
  }
  assert.fail(`selector ${JSON.stringify(s)} parsed`);
}

function statusOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(isStatusError(e), `expected StatusError, got ${String(e)}`);
    return { code: e.code, message: e.status.message };
  }
  assert.fail('did not throw');
}

describe('parseFieldSelector', () => {
  it('parses =, == and != terms, ANDed, in sorted order', () => {
    const sel = parseFieldSelector('status.phase!=Running,metadata.name==foo');
    assert.deepEqual(sel.requirements(), [
      { field: 'metadata.name', operator: '=', value: 'foo' },
      { field: 'status.phase', operator: '!=', value: 'Running' },
    ]);
    assert.equal(sel.matches({ 'metadata.name': 'foo', 'status.phase': 'Pending' }), true);
    assert.equal(sel.matches({ 'metadata.name': 'foo', 'status.phase': 'Running' }), false);
    assert.equal(sel.matches({ 'metadata.name': 'bar' }), false);
    assert.equal(sel.toString(), 'metadata.name=foo,status.phase!=Running');
  });

  it('reads a missing field as the empty string', () => {
    assert.equal(parseFieldSelector('spec.nodeName=').matches({}), true);
    assert.equal(parseFieldSelector('spec.nodeName!=n1').matches({}), true);
    assert.equal(parseFieldSelector('spec.nodeName=n1').matches({}), false);
  });

  it('selects everything for empty input and empty terms', () => {
    assert.equal(parseFieldSelector('').isEverything(), true);
    assert.equal(parseFieldSelector(',,').isEverything(), true);
    assert.equal(parseFieldSelector(',a=b,').requirements().length, 1);
  });

  it('unescapes values and escapes them back', () => {
    const sel = parseFieldSelector('a=x\\,y\\=z\\\\w');
    assert.equal(sel.requirements()[0].value, 'x,y=z\\w');
    assert.equal(sel.toString(), 'a=x\\,y\\=z\\\\w');
    assert.equal(escapeFieldValue('a,b=c\\'), 'a\\,b\\=c\\\\');
    assert.equal(unescapeFieldValue('plain'), 'plain');
  });

  it('does not trim whitespace', () => {
    assert.deepEqual(parseFieldSelector(' a = b').requirements(), [{ field: ' a ', operator: '=', value: ' b' }]);
  });

  it("gives kube's messages", () => {
    assert.equal(parseError('foo'), "invalid selector: 'foo'; can't understand 'foo'");
    assert.equal(parseError('metadata.name=x,foo'), "invalid selector: 'metadata.name=x,foo'; can't understand 'foo'");
    assert.equal(parseError('a=b=c'), 'invalid field selector: unescaped character in value: 61');
    assert.equal(parseError('a===b'), 'invalid field selector: unescaped character in value: 61');
    assert.equal(parseError('a=b\\x'), 'invalid field selector: invalid escape sequence: \\x');
    assert.equal(parseError('a=b\\'), 'invalid field selector: invalid escape sequence: \\');
  });

  it('answers parse errors with 400', () => {
    try {
      parseFieldSelector('foo');
      assert.fail('parsed');
    } catch (e) {
      assert.ok(e instanceof FieldSelectorError);
      assert.equal(e.toStatusError().code, 400);
      assert.equal(e.toStatusError().status.reason, 'BadRequest');
    }
  });
});

describe('convertFieldLabels', () => {
  it('accepts only metadata.name and metadata.namespace by default, with kube text', () => {
    const ok = convertFieldLabels(parseFieldSelector('metadata.name=a,metadata.namespace=b'));
    assert.equal(ok.requirements().length, 2);
    assert.deepEqual(
      statusOf(() => convertFieldLabels(parseFieldSelector('spec.x=1,metadata.name=a'))),
      {
        code: 400,
        message: '"spec.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
      },
    );
  });

  it('uses `field label not supported` for kinds with their own conversion, and renames', () => {
    const pods = {
      supported: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase'],
      renames: { 'spec.host': 'spec.nodeName' },
    };
    const sel = convertFieldLabels(parseFieldSelector('spec.host=n1,status.phase=Running'), pods);
    assert.equal(sel.toString(), 'spec.nodeName=n1,status.phase=Running');
    // Terms are sorted, so the first unsupported label in sorted order is reported.
    assert.deepEqual(
      statusOf(() => convertFieldLabels(parseFieldSelector('zzz=1,spec.foo=2'), pods)),
      {
        code: 400,
        message: 'field label not supported: spec.foo',
      },
    );
  });
});
