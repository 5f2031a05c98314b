// One translation per verb from storage errors to Status (kube's storage/errors/storage.go), as a case table.
import assert from 'node:assert/strict';
import { decodeContinue } from '../../src/apimachinery/continue.js';
import { StatusError } from '../../src/apimachinery/errors.js';
import {
  interpretCreateError,
  interpretDeleteError,
  interpretGetError,
  interpretListError,
  interpretUpdateError,
  interpretWatchError,
} from '../../src/registry/storage-errors.js';
import { StorageError, type StorageErrorCode } from '../../src/storage/interface.js';

const PODS = { group: '', resource: 'pods' };
const DEPLOYS = { group: 'apps', resource: 'deployments' };
const err = (code: StorageErrorCode, revision?: number) => new StorageError(code, '/registry/pods/ns/web', `etcd said ${code}`, revision);

function status(e: Error): { code: number; reason: string; message: string; details?: unknown } {
  assert.ok(e instanceof StatusError, `${e}`);
  const { code, reason, message, details } = e.status;
  return { code, reason: reason ?? '', message, details };
}

describe('storage errors per verb', () => {
  const cases: Array<[string, Error, number, string, string]> = [
    ['get of a missing key', interpretGetError(err('KeyNotFound'), PODS, 'web'), 404, 'NotFound', 'pods "web" not found'],
    [
      'create of a taken key',
      interpretCreateError(err('KeyExists'), DEPLOYS, 'web'),
      409,
      'AlreadyExists',
      'deployments.apps "web" already exists',
    ],
    [
      'update on a changed revision',
      interpretUpdateError(err('Conflict'), PODS, 'web'),
      409,
      'Conflict',
      'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
    ],
    ['update of a missing key', interpretUpdateError(err('KeyNotFound'), PODS, 'web'), 404, 'NotFound', 'pods "web" not found'],
    ['delete of a missing key', interpretDeleteError(err('KeyNotFound'), PODS, 'web'), 404, 'NotFound', 'pods "web" not found'],
    [
      'list of a compacted revision',
      interpretListError(err('Compacted', 50), PODS),
      410,
      'Expired',
      'The resourceVersion for the provided list is too old.',
    ],
    [
      'get while etcd is unreachable',
      interpretGetError(err('Unreachable'), PODS, 'web'),
      500,
      'ServerTimeout',
      'The get operation against pods could not be completed at this time, please try again.',
    ],
    [
      'create while etcd is unreachable',
      interpretCreateError(err('Unreachable'), DEPLOYS, 'web'),
      500,
      'ServerTimeout',
      'The create operation against deployments.apps could not be completed at this time, please try again.',
    ],
    ['watch from a compacted revision', interpretWatchError(err('Compacted', 42), 7), 410, 'Expired', 'too old resource version: 7 (42)'],
  ];
  for (const [name, e, code, reason, message] of cases) {
    it(`${name}: ${code} ${reason}`, () => {
      const s = status(e);
      assert.equal(s.code, code);
      assert.equal(s.reason, reason);
      assert.equal(s.message, message);
    });
  }

  it('a server timeout carries the operation and a retry hint in its details', () => {
    assert.deepEqual(status(interpretListError(err('Unreachable'), DEPLOYS)).details, {
      name: 'list',
      group: 'apps',
      kind: 'deployments',
      retryAfterSeconds: 2,
    });
  });

  it('a compacted continue answers 410 with a token that resumes at the latest revision', () => {
    const e = interpretListError(err('Compacted'), PODS, { continueKey: '/registry/pods/ns/b\u0000', keyPrefix: '/registry/pods/' });
    assert.ok(e instanceof StatusError);
    assert.equal(e.status.code, 410);
    assert.match(
      e.status.message,
      /^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter, or use the continue token in this response/,
    );
    const token = (e.status.metadata as { continue?: string }).continue;
    assert.ok(token);
    assert.deepEqual(decodeContinue(token, '/registry/pods/'), { fromKey: '/registry/pods/ns/b\u0000', rv: -1 });
  });

  it('errors that are not storage errors pass through unchanged', () => {
    const boom = new TypeError('boom');
    assert.equal(interpretGetError(boom, PODS, 'x'), boom);
  });
});
