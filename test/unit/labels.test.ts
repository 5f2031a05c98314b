import assert from 'node:assert/strict';
import { LabelSelector, LabelSelectorError, labelSelectorFromMetav1, parseLabelSelector } from '../../src/apimachinery/labels.js';

const KEY_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function parseError(s: string): string {
  try {
    parseLabelSelector(s);
  } catch (e) {
    assert.ok(e instanceof LabelSelectorError, `expected LabelSelectorError, got ${String(e)}`);
    return e.message;
  }
  assert.fail(`selector ${JSON.stringify(s)} parsed`);
}

describe('parseLabelSelector', () => {
  it('parses every operator and matches as kube does', () => {
    const sel = parseLabelSelector('env in (prod, staging),tier notin (db),app=web,ver==2,track!=canary,owner,!legacy,gen>3,rank<10');
    const labels = { env: 'prod', tier: 'fe', app: 'web', ver: '2', track: 'stable', owner: 'me', gen: '4', rank: '9' };
    assert.equal(sel.matches(labels), true);
    assert.equal(sel.matches({ ...labels, env: 'dev' }), false);
    assert.equal(sel.matches({ ...labels, tier: 'db' }), false);
    assert.equal(sel.matches({ ...labels, legacy: '' }), false);
    assert.equal(sel.matches({ ...labels, gen: '3' }), false);
    assert.equal(sel.matches({ ...labels, gen: 'x' }), false);
    assert.equal(sel.matches({ ...labels, rank: '10' }), false);
    const { owner: _owner, ...withoutOwner } = labels;
    assert.equal(sel.matches(withoutOwner), false);
  });

  it('treats notin and != as matching a missing label', () => {
    assert.equal(parseLabelSelector('a notin (x)').matches({}), true);
    assert.equal(parseLabelSelector('a!=x').matches(undefined), true);
    assert.equal(parseLabelSelector('a in (x)').matches({}), false);
  });

  it('accepts whitespace between tokens and keywords as values', () => {
    const sel = parseLabelSelector(' \ta \r\n in ( in , notin ) , ! b ');
    assert.equal(sel.matches({ a: 'notin' }), true);
    assert.equal(sel.matches({ a: 'in', b: 'x' }), false);
  });

  it('parses empty values as kube does', () => {
    assert.equal(parseLabelSelector('a in ()').matches({ a: '' }), true);
    assert.equal(parseLabelSelector('a=').matches({ a: '' }), true);
    assert.equal(parseLabelSelector('a=,b').matches({ a: '', b: 'x' }), true);
    assert.deepEqual(parseLabelSelector('a in (x,,y)').requirements[0].values, ['', 'x', 'y']);
  });

  it('selects everything for the empty string', () => {
    const sel = parseLabelSelector('');
    assert.equal(sel.isEverything(), true);
    assert.equal(sel.matches(undefined), true);
    assert.equal(sel.toString(), '');
    assert.equal(parseLabelSelector('a').isEverything(), false);
    assert.equal(LabelSelector.everything().matches(undefined), true);
  });

  it('prints requirements sorted by key with sorted values', () => {
    assert.equal(parseLabelSelector('b=2,a in (y,x),!c,d notin (z),e>1').toString(), 'a in (x,y),b=2,!c,d notin (z),e>1');
    assert.equal(parseLabelSelector('x==1,y').toString(), 'x==1,y');
  });

  it('reports the value a selector pins a label to', () => {
    assert.equal(parseLabelSelector('a=1,b in (2),c in (3,4),d!=5').requiresExactMatch('a'), '1');
    assert.equal(parseLabelSelector('b in (2)').requiresExactMatch('b'), '2');
    assert.equal(parseLabelSelector('c in (3,4)').requiresExactMatch('c'), undefined);
    assert.equal(parseLabelSelector('d!=5').requiresExactMatch('d'), undefined);
  });

  it("gives kube's messages for syntax errors", () => {
    assert.equal(parseError('a===b'), "unable to parse requirement: found '=', expected: identifier");
    assert.equal(parseError('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    assert.equal(parseError('a=b c'), "found 'c', expected: ',' or 'end of string'");
    assert.equal(parseError('a,'), "found '', expected: identifier after ','");
    assert.equal(parseError(','), "found ',', expected: !, identifier, or 'end of string'");
    assert.equal(parseError('x in (a b)'), "unable to parse requirement: found 'b', expected: ',' or ')'");
    assert.equal(parseError('x in a'), "unable to parse requirement: found 'a' expected: '('");
    assert.equal(parseError('x in (='), "unable to parse requirement: found '=', expected: ',', ')' or identifier");
    assert.equal(parseError('!a=b'), "found '=', expected: ',' or 'end of string'");
    assert.equal(parseError('!=a'), "found '!=', expected: !, identifier, or 'end of string'");
  });

  it("gives kube's messages for invalid keys and values", () => {
    assert.equal(parseError('a+b=c'), `unable to parse requirement: <nil>: Invalid value: "a+b": ${KEY_NAME_MSG}`);
    assert.equal(
      parseError('app.kubernetes_io/name=x'),
      'unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": prefix part a lowercase RFC 1123 subdomain must consist of ' +
        "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', " +
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
    assert.equal(
      parseError('a/b/c'),
      'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ' +
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') " +
        "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    assert.equal(parseError('a=b@c'), `unable to parse requirement: values[0][a]: Invalid value: "b@c": ${VALUE_MSG}`);
    assert.equal(
      parseError('a>b'),
      `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
    const long = 'x'.repeat(64);
    assert.equal(
      parseError(`a=${long}`),
      `unable to parse requirement: values[0][a]: Invalid value: "${long}": must be no more than 63 characters`,
    );
    assert.equal(
      parseError(`a=${long}-`),
      `unable to parse requirement: values[0][a]: Invalid value: "${long}-": must be no more than 63 characters; ${VALUE_MSG}`,
    );
  });

  it('answers with a 400 BadRequest carrying the message', () => {
    try {
      parseLabelSelector('a===b');
      assert.fail('parsed');
    } catch (e) {
      assert.ok(e instanceof LabelSelectorError);
      const status = e.toStatusError().status;
      assert.equal(status.code, 400);
      assert.equal(status.reason, 'BadRequest');
      assert.equal(status.message, "unable to parse requirement: found '=', expected: identifier");
    }
  });
});

describe('labelSelectorFromMetav1', () => {
  it('selects nothing for a missing selector and everything for an empty one', () => {
    assert.equal(labelSelectorFromMetav1(undefined).matches({ a: 'b' }), false);
    assert.equal(labelSelectorFromMetav1(null).isNothing(), true);
    assert.equal(labelSelectorFromMetav1({}).isEverything(), true);
    assert.equal(labelSelectorFromMetav1({ matchLabels: {}, matchExpressions: [] }).matches({}), true);
  });

  it('combines matchLabels and matchExpressions', () => {
    const sel = labelSelectorFromMetav1({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'owner', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(sel.matches({ app: 'web', tier: 'fe', owner: 'x' }), true);
    assert.equal(sel.matches({ app: 'web', tier: 'fe', owner: 'x', env: 'dev' }), false);
    assert.equal(sel.matches({ app: 'web', tier: 'fe' }), false);
    assert.equal(sel.matches({ app: 'web', tier: 'fe', owner: 'x', legacy: '1' }), false);
    assert.equal(sel.toString(), 'app=web,env notin (dev),!legacy,owner,tier in (be,fe)');
  });

  it("gives kube's messages for bad selectors", () => {
    assert.throws(() => labelSelectorFromMetav1({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }), {
      message: '"Foo" is not a valid label selector operator',
    });
    assert.throws(() => labelSelectorFromMetav1({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
      message: "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    });
    assert.throws(() => labelSelectorFromMetav1({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), {
      message: 'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
    });
    assert.throws(() => labelSelectorFromMetav1({ matchLabels: { 'a b': 'c' } }), {
      message: `key: Invalid value: "a b": ${KEY_NAME_MSG}`,
    });
  });
});
