// Query parameters as kube's parameter codec decodes them (runtime/conversion.go), as a case table. Booleans are
// not strconv.ParseBool there: only "false" and "0" (any case) are false; every other value, "" included, is true.
import assert from 'node:assert/strict';
import { StatusError } from '../../src/apimachinery/errors.js';
import { isWatchQuery, queryBool, queryInt64, queryString } from '../../src/apimachinery/queryparams.js';
import { parseRequestInfo } from '../../src/endpoints/requestinfo.js';

const q = (s: string) => new URLSearchParams(s);

describe('query parameter decoding', () => {
  const bools: Array<[string, boolean | undefined]> = [
    ['', undefined],
    ['watch=true', true],
    ['watch=True', true],
    ['watch=TRUE', true],
    ['watch=1', true],
    ['watch=t', true],
    ['watch=yes', true],
    ['watch=', true],
    ['watch=false', false],
    ['watch=False', false],
    ['watch=FALSE', false],
    ['watch=0', false],
    ['watch=false&watch=true', false],
    ['watch=true&watch=false', true],
  ];
  for (const [query, want] of bools) {
    it(`bool ${JSON.stringify(query)} → ${want}`, () => assert.equal(queryBool(q(query), 'watch'), want));
  }

  const ints: Array<[string, number | string | undefined]> = [
    ['', undefined],
    ['limit=500', 500],
    ['limit=%2B7', 7],
    ['limit=-1', -1],
    ['limit=007', 7],
    ['limit=5&limit=abc', 5],
    ['limit=abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['limit=', 'strconv.ParseInt: parsing "": invalid syntax'],
    ['limit=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['limit=0x10', 'strconv.ParseInt: parsing "0x10": invalid syntax'],
    ['limit=9223372036854775808', 'strconv.ParseInt: parsing "9223372036854775808": value out of range'],
  ];
  for (const [query, want] of ints) {
    it(`int64 ${JSON.stringify(query)} → ${want}`, () => {
      if (typeof want === 'string') {
        assert.throws(
          () => queryInt64(q(query), 'limit'),
          (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' && e.message === want,
        );
      } else assert.equal(queryInt64(q(query), 'limit'), want);
    });
  }

  it('a string parameter is its first value', () => {
    assert.equal(queryString(q('fieldManager=a&fieldManager=b'), 'fieldManager'), 'a');
    assert.equal(queryString(q(''), 'fieldManager'), undefined);
  });

  it("the Python client's watch=True makes a list a watch, as does any value but false/0", () => {
    assert.equal(isWatchQuery(q('watch=True')), true);
    assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/default/pods', q('watch=True&resourceVersion=5')).verb, 'watch');
    assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/default/pods', q('watch=yes')).verb, 'watch');
    // Only a list becomes a watch (kube's RequestInfo): a GET of one object stays a get.
    assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/default/pods/web', q('watch=true')).verb, 'get');
    assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/default/pods', q('watch=False')).verb, 'list');
    assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/default/pods', q('watch=0')).verb, 'list');
  });
});
