// The Authorization header as kube's bearertoken authenticator reads it
// (k8s.io/apiserver/pkg/authentication/request/bearertoken/bearertoken.go); the differential
// test/differential/authn-authz-errors.test.ts checks the same headers against the reference.
import assert from 'node:assert/strict';
import { bearerToken } from '../../src/authentication/index.js';

describe('bearerToken', () => {
  it('reads the word after a case-insensitive Bearer, ignoring what follows a second space', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('bearer abc'), 'abc');
    assert.equal(bearerToken('BEARER abc'), 'abc');
    assert.equal(bearerToken('  Bearer abc  '), 'abc');
    assert.equal(bearerToken('Bearer abc def'), 'abc');
  });

  it('finds no token in an empty, tokenless, double-spaced, tab-separated or other-scheme header', () => {
    for (const header of [undefined, '', '   ', 'Bearer', 'Bearer ', 'Bearer  abc', 'Bearer\tabc', 'Basic YTpi', 'abc']) {
      assert.equal(bearerToken(header), undefined, JSON.stringify(header));
    }
  });
});
