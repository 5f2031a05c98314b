import assert from 'node:assert/strict';
import { parseTokenFile, readCsv, renderTokenFile } from '../../src/authentication/tokenfile.js';

describe('parseTokenFile', () => {
  it('reads token,user,uid and an optional quoted group list', () => {
    const tokens = parseTokenFile('abc,alice,uid-1\ndef,bob,uid-2,"system:masters,dev"\nghi,carol,uid-3,ops\n');
    assert.deepEqual(tokens, [
      { token: 'abc', user: 'alice', uid: 'uid-1', groups: [] },
      { token: 'def', user: 'bob', uid: 'uid-2', groups: ['system:masters', 'dev'] },
      { token: 'ghi', user: 'carol', uid: 'uid-3', groups: ['ops'] },
    ]);
  });

  it('ignores columns after the fourth and keeps whitespace as Go csv does', () => {
    assert.deepEqual(parseTokenFile('t, u ,id,g,extra'), [{ token: 't', user: ' u ', uid: 'id', groups: ['g'] }]);
  });

  it('skips blank lines and accepts CRLF and a missing final newline', () => {
    assert.deepEqual(parseTokenFile('\r\na,u,1\r\n\r\nb,v,2'), [
      { token: 'a', user: 'u', uid: '1', groups: [] },
      { token: 'b', user: 'v', uid: '2', groups: [] },
    ]);
    assert.deepEqual(parseTokenFile(''), []);
  });

  it('skips empty tokens with a warning naming the record number', () => {
    const warnings: string[] = [];
    const tokens = parseTokenFile('a,u,1\n,v,2\n', { source: '/etc/tokens.csv', warn: (m) => warnings.push(m) });
    assert.deepEqual(
      tokens.map((t) => t.token),
      ['a'],
    );
    assert.deepEqual(warnings, ["empty token has been found in token file '/etc/tokens.csv', record number '2'"]);
  });

  it('warns on duplicate tokens and keeps the later line, like kube-apiserver', () => {
    const warnings: string[] = [];
    const tokens = parseTokenFile('a,first,1\nb,other,2\na,second,3\n', { source: 'f', warn: (m) => warnings.push(m) });
    assert.deepEqual(tokens, [
      { token: 'a', user: 'second', uid: '3', groups: [] },
      { token: 'b', user: 'other', uid: '2', groups: [] },
    ]);
    assert.deepEqual(warnings, ["duplicate token has been found in token file 'f', record number '3'"]);
  });

  it("rejects records with fewer than 3 columns with kube-apiserver's message", () => {
    assert.throws(() => parseTokenFile('a,u,1\nb,v\n', { source: '/etc/tokens.csv' }), {
      message: "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2",
    });
  });

  it('reports malformed CSV as Go encoding/csv does', () => {
    assert.throws(() => parseTokenFile('a,b"c,1'), { message: 'parse error on line 1, column 4: bare " in non-quoted-field' });
    assert.throws(() => parseTokenFile('a,u,1,"g'), {
      message: 'parse error on line 1, column 7: extraneous or missing " in quoted-field',
    });
  });

  it('round-trips what renderTokenFile writes', () => {
    const tokens = [
      { token: 't1', user: 'kgate-admin', uid: 'u1', groups: ['system:masters'] },
      { token: 't2', user: 'dev "x"', uid: 'u2', groups: ['a', 'b'] },
      { token: 't3', user: 'plain', uid: 'u3', groups: [] },
    ];
    const text = renderTokenFile(tokens);
    assert.equal(text.split('\n')[1], 't2,"dev ""x""",u2,"a,b"');
    assert.deepEqual(parseTokenFile(text), tokens);
  });
});

describe('readCsv', () => {
  it('handles quoted fields spanning lines and escaped quotes', () => {
    assert.deepEqual(readCsv('"a\nb","c""d",e\nf'), [['a\nb', 'c"d', 'e'], ['f']]);
  });

  it('keeps an empty trailing field', () => {
    assert.deepEqual(readCsv('a,b,\n'), [['a', 'b', '']]);
  });
});
