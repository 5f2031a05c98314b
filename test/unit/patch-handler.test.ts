// The PATCH handler's pure parts: patch type from Content-Type, body decoding per type and fieldValidation,
// PatchOptions validation, and the mapping of engine failures to kube's Status answers.
import assert from 'node:assert/strict';
import { StatusError } from '../../src/apimachinery/errors.js';
import { validatePatchOptions } from '../../src/endpoints/handlers/options.js';
import { applyPatch, decodePatch, patchTypeOf } from '../../src/endpoints/handlers/patch.js';
import { smpSchemaForKind } from '../../src/registry/patch/openapi-schema.js';

function status(fn: () => unknown): { code: number; reason?: string; message: string; details?: unknown } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    return { code: e.status.code, reason: e.status.reason, message: e.status.message, details: e.status.details };
  }
  assert.fail('expected a failure');
}

describe('PATCH handler pieces', () => {
  describe('patch type', () => {
    it('drops parameters and accepts the four types for built-ins', () => {
      assert.equal(patchTypeOf('application/merge-patch+json; charset=utf-8', true), 'application/merge-patch+json');
      assert.equal(patchTypeOf('application/apply-patch+yaml', true), 'application/apply-patch+yaml');
    });
    it("answers the router's 415 for other types; a kind without Go types lists what it takes", () => {
      const builtin = status(() => patchTypeOf('application/json', true));
      assert.equal(builtin.code, 415);
      assert.equal(builtin.reason, 'UnsupportedMediaType');
      assert.equal(builtin.message, '415: Unsupported Media Type');
      const custom = status(() => patchTypeOf('application/strategic-merge-patch+json', false));
      assert.equal(
        custom.message,
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      );
    });
  });

  describe('body decoding', () => {
    it('JSON patch: 400 with the "error decoding patch" prefix, without it under Ignore', () => {
      assert.equal(
        status(() => decodePatch('invalid', 'application/json-patch+json', 'Warn')).message,
        "error decoding patch: invalid character 'i' looking for beginning of value",
      );
      assert.equal(
        status(() => decodePatch('invalid', 'application/json-patch+json', 'Ignore')).message,
        "invalid character 'i' looking for beginning of value",
      );
      assert.equal(
        status(() => decodePatch('{"op":"add"}', 'application/json-patch+json', 'Strict')).message,
        'error decoding patch: json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      );
      assert.deepEqual(decodePatch('[{"op":"remove","path":"/a"}]', 'application/json-patch+json', 'Warn'), [{ op: 'remove', path: '/a' }]);
    });
    it('JSON patch: more than 10000 operations is a 413', () => {
      const ops = JSON.stringify(Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 })));
      const s = status(() => decodePatch(ops, 'application/json-patch+json', 'Warn'));
      assert.equal(s.code, 413);
      assert.equal(s.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
    });
    it('merge patch: non-objects are 400s, null is "Invalid JSON Patch"', () => {
      assert.equal(
        status(() => decodePatch('"bar"', 'application/merge-patch+json', 'Warn')).message,
        'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}',
      );
      assert.equal(
        status(() => decodePatch('[1]', 'application/merge-patch+json', 'Strict')).message,
        'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}',
      );
      assert.equal(status(() => decodePatch('null', 'application/merge-patch+json', 'Warn')).message, 'Invalid JSON Patch');
      assert.equal(status(() => decodePatch('{', 'application/merge-patch+json', 'Ignore')).message, 'Invalid JSON Patch');
      assert.deepEqual(decodePatch('[1]', 'application/merge-patch+json', 'Ignore'), [1]);
    });
    it('strategic merge patch: the decoder message without prefix; null is an empty patch', () => {
      const s = status(() => decodePatch('barbaz', 'application/strategic-merge-patch+json', 'Warn'));
      assert.deepEqual([s.code, s.message], [400, "invalid character 'b' looking for beginning of value"]);
      assert.deepEqual(decodePatch('null', 'application/strategic-merge-patch+json', 'Warn'), {});
    });
  });

  describe('PatchOptions', () => {
    const q = (s: string) => new URLSearchParams(s);
    it('accepts dryRun=All, a fieldManager and fieldValidation', () => {
      assert.deepEqual(validatePatchOptions(q('dryRun=All&fieldManager=me&fieldValidation=Strict'), false), {
        dryRun: true,
        fieldManager: 'me',
        fieldValidation: 'Strict',
      });
      assert.deepEqual(validatePatchOptions(q(''), false), { dryRun: false, fieldManager: '', fieldValidation: 'Warn' });
    });
    it('rejects force on non-apply patches (true or false) and requires a manager for apply', () => {
      for (const force of ['true', 'false']) {
        const s = status(() => validatePatchOptions(q(`force=${force}`), false));
        assert.equal(s.code, 422);
        assert.equal(s.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
      }
      assert.equal(
        status(() => validatePatchOptions(q(''), true)).message,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
      assert.deepEqual(validatePatchOptions(q('fieldManager=kubectl&force=true'), true), {
        dryRun: false,
        fieldManager: 'kubectl',
        fieldValidation: 'Warn',
        force: true,
      });
    });
    it('rejects long or non-printable managers and unknown fieldValidation', () => {
      assert.equal(
        status(() => validatePatchOptions(q(`fieldManager=${'x'.repeat(129)}`), false)).message,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
      );
      assert.match(
        status(() => validatePatchOptions(q('fieldManager=abc%07'), false)).message,
        /^PatchOptions\.meta\.k8s\.io "" is invalid: fieldManager: Invalid value: .*: invalid character U\+0007 \(at position 3\)$/,
      );
      assert.match(
        status(() => validatePatchOptions(q('fieldValidation=Loud'), false)).message,
        /fieldValidation: Unsupported value: "Loud"/,
      );
    });
  });

  describe('engine failures as Status', () => {
    const pod = smpSchemaForKind('', 'v1', 'Pod')!;
    const current = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }] } };
    it('a failed JSON patch operation is a 422 with the generic message and empty details', () => {
      const s = status(() => applyPatch('application/json-patch+json', current, [{ op: 'test', path: '/metadata/name', value: 'q' }], pod));
      assert.deepEqual(s, {
        code: 422,
        reason: 'Invalid',
        message: 'the server rejected our request due to an error in our request',
        details: {},
      });
    });
    it('SMP format errors are 400, list-of-lists a generic 422, the rest a 500 without reason', () => {
      assert.equal(
        status(() => applyPatch('application/strategic-merge-patch+json', current, { spec: { $retainKeys: 'x' } }, pod)).code,
        400,
      );
      const unknown = status(() => applyPatch('application/strategic-merge-patch+json', current, { spec: { $patch: 'merge' } }, pod));
      assert.equal(unknown.code, 500);
      assert.equal(unknown.reason, undefined);
      assert.match(unknown.message, /^unknown patch type: merge in map: /);
    });
  });
});
