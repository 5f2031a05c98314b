import assert from 'node:assert/strict';
import {
  ContinueTokenError,
  decodeContinue,
  encodeContinue,
  inconsistentContinue,
  nextPageContinue,
} from '../../src/apimachinery/continue.js';

const PREFIX = '/registry/pods/';

function tokenOf(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64url');
}

function decodeError(token: string, prefix = PREFIX): string {
  try {
    decodeContinue(token, prefix);
  } catch (e) {
    assert.ok(e instanceof ContinueTokenError, `expected ContinueTokenError, got ${String(e)}`);
    return e.message;
  }
  assert.fail(`token ${token} decoded`);
}

describe('continue tokens', () => {
  it('encodes kube’s JSON, base64url without padding', () => {
    const token = nextPageContinue('/registry/pods/default/web-1', PREFIX, 12463);
    assert.equal(token.includes('='), false);
    assert.equal(Buffer.from(token, 'base64url').toString('utf8'), '{"v":"meta.k8s.io/v1","rv":12463,"start":"default/web-1\\u0000"}');
    assert.equal(token, 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTI0NjMsInN0YXJ0IjoiZGVmYXVsdC93ZWItMVx1MDAwMCJ9');
  });

  it('escapes HTML characters as Go does', () => {
    const token = encodeContinue('/registry/pods/a<b>&c', PREFIX, 1);
    assert.equal(Buffer.from(token, 'base64url').toString('utf8'), '{"v":"meta.k8s.io/v1","rv":1,"start":"a\\u003cb\\u003e\\u0026c"}');
  });

  it('round-trips', () => {
    const token = nextPageContinue('/registry/pods/ns/name', PREFIX, 42);
    assert.deepEqual(decodeContinue(token, PREFIX), { fromKey: '/registry/pods/ns/name\x00', rv: 42 });
    assert.deepEqual(decodeContinue(inconsistentContinue('/registry/pods/ns/x', PREFIX), PREFIX), {
      fromKey: '/registry/pods/ns/x',
      rv: -1,
    });
  });

  it('refuses a key outside the prefix', () => {
    assert.throws(() => encodeContinue('/registry/secrets/a', PREFIX, 1), {
      message: 'unable to encode next field: the key and key prefix do not match /registry/pods/ /registry/secrets/a',
    });
  });

  it('strips a leading slash and accepts clean keys', () => {
    assert.deepEqual(decodeContinue(tokenOf('{"v":"meta.k8s.io/v1","rv":3,"start":"/ns/a"}'), PREFIX), {
      fromKey: '/registry/pods/ns/a',
      rv: 3,
    });
  });

  it("rejects path traversal and unclean keys with kube's message", () => {
    assert.equal(decodeError(tokenOf('{"v":"meta.k8s.io/v1","rv":3,"start":"../secrets/x"}')), 'continue key is not valid: ../secrets/x');
    assert.equal(decodeError(tokenOf('{"v":"meta.k8s.io/v1","rv":3,"start":"a//b"}')), 'continue key is not valid: a//b');
    assert.equal(decodeError(tokenOf('{"v":"meta.k8s.io/v1","rv":3,"start":"a/./b"}')), 'continue key is not valid: a/./b');
    assert.equal(decodeError(tokenOf('{"v":"meta.k8s.io/v1","rv":3,"start":"a/"}')), 'continue key is not valid: a/');
  });

  it("gives kube's messages for bad contents", () => {
    assert.equal(
      decodeError(tokenOf('{"v":"meta.k8s.io/v2","rv":3,"start":"a"}')),
      'continue key is not valid: server does not recognize this encoded version meta.k8s.io/v2',
    );
    assert.equal(
      decodeError(tokenOf('{"v":"meta.k8s.io/v1","start":"a"}')),
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
    assert.equal(
      decodeError(tokenOf('{"v":"meta.k8s.io/v1","rv":3}')),
      'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)',
    );
    assert.equal(
      decodeError(tokenOf('{"v":"meta.k8s.io/v1","rv":"3","start":"a"}')),
      'continue key is not valid: json: cannot unmarshal string into Go struct field continueToken.rv of type int64',
    );
    assert.equal(decodeError(tokenOf('xyz')), "continue key is not valid: invalid character 'x' looking for beginning of value");
  });

  it('matches field names case-insensitively as Go does', () => {
    assert.deepEqual(decodeContinue(tokenOf('{"V":"meta.k8s.io/v1","RV":7,"Start":"a"}'), PREFIX), { fromKey: '/registry/pods/a', rv: 7 });
  });

  it("rejects bad base64 with Go's byte offsets", () => {
    assert.equal(decodeError('a'), 'continue key is not valid: illegal base64 data at input byte 0');
    assert.equal(decodeError('ab=c'), 'continue key is not valid: illegal base64 data at input byte 2');
    assert.equal(decodeError('ab+c'), 'continue key is not valid: illegal base64 data at input byte 2');
  });

  it('answers 400 `invalid continue token: ...`', () => {
    try {
      decodeContinue('a', PREFIX);
      assert.fail('decoded');
    } catch (e) {
      assert.ok(e instanceof ContinueTokenError);
      const s = e.toStatusError().status;
      assert.equal(s.code, 400);
      assert.equal(s.message, 'invalid continue token: continue key is not valid: illegal base64 data at input byte 0');
    }
  });
});
