// Also covers resourceversion.ts (list option validation) and names.ts (generateName).
import assert from 'node:assert/strict';
import { fieldErrorMessage, invalid, type FieldError } from '../../src/apimachinery/errors.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type ObjectMetaInput,
} from '../../src/apimachinery/validation.js';
import {
  listOptionsInvalid,
  parseResourceVersion,
  ResourceVersionError,
  setListOptionsDefaults,
  storageListStart,
  validateListOptions,
} from '../../src/apimachinery/resourceversion.js';
import { encodeContinue } from '../../src/apimachinery/continue.js';
import { GENERATED_NAME_ALPHABET, generateName } from '../../src/apimachinery/names.js';
import { isStatusError } from '../../src/apimachinery/errors.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character " +
  "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character " +
  "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const KEY_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const render = (errs: FieldError[]): string[] => errs.map((e) => fieldErrorMessage(e));

describe('name formats', () => {
  it('DNS-1123 subdomain', () => {
    assert.deepEqual(isDNS1123Subdomain('example.com'), []);
    assert.deepEqual(isDNS1123Subdomain('Example'), [SUBDOMAIN_MSG]);
    assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
  });

  it('DNS-1123 label', () => {
    assert.deepEqual(isDNS1123Label('my-name'), []);
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.deepEqual(isDNS1123Label('-a'), [LABEL_MSG]);
    assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  });

  it('RFC 1035 label', () => {
    assert.deepEqual(isDNS1035Label('abc-123'), []);
    assert.deepEqual(isDNS1035Label('1abc'), [DNS1035_MSG]);
  });

  it('qualified names and label values', () => {
    assert.deepEqual(isQualifiedName('example.com/My_name.1'), []);
    assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty']);
    assert.deepEqual(isQualifiedName('a/'), ['name part must be non-empty', KEY_NAME_MSG]);
    assert.deepEqual(isQualifiedName('Ex/a'), [`prefix part ${SUBDOMAIN_MSG}`]);
    assert.deepEqual(isQualifiedName(`${'a'.repeat(64)}`), ['name part must be no more than 63 characters']);
    assert.deepEqual(isValidLabelValue(''), []);
    assert.deepEqual(isValidLabelValue('a b'), [VALUE_MSG]);
  });

  it('path segments', () => {
    assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
    assert.deepEqual(isValidPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
    assert.deepEqual(isValidPathSegmentName('Any:Thing'), []);
  });
});

describe('validateObjectMeta', () => {
  const ns = { namespaced: true, nameValidation: 'subdomain' as const };

  it('accepts a valid object', () => {
    assert.deepEqual(
      validateObjectMeta(
        {
          name: 'web-1',
          namespace: 'default',
          labels: { 'app.kubernetes.io/name': 'web', tier: '' },
          annotations: { 'Example.com/Note': 'x' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }],
          finalizers: ['example.com/cleanup', 'kubernetes'],
        },
        ns,
      ),
      [],
    );
  });

  it('requires a name, with the message kube-apiserver shows', () => {
    const errs = validateObjectMeta({ namespace: 'default' }, ns);
    assert.deepEqual(render(errs), ['metadata.name: Required value: name or generateName is required']);
    assert.equal(
      invalid('', 'ConfigMap', '', errs).status.message,
      'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    );
    assert.deepEqual(validateObjectMeta({ namespace: 'default' }, { ...ns, requireName: false }), []);
  });

  it('validates name and generateName formats', () => {
    assert.deepEqual(render(validateObjectMeta({ name: 'Bad_Name', generateName: 'Web-', namespace: 'default' }, ns)), [
      `metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`,
      `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`,
    ]);
    // A trailing dash is allowed in generateName.
    assert.deepEqual(validateObjectMeta({ name: 'web-abcde', generateName: 'web-', namespace: 'default' }, ns), []);
    assert.deepEqual(render(validateObjectMeta({ name: 'a.b' }, { namespaced: false, nameValidation: 'label' })), [
      'metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
    assert.deepEqual(render(validateObjectMeta({ name: 'a/b' }, { namespaced: false, nameValidation: 'path-segment' })), [
      `metadata.name: Invalid value: "a/b": may not contain '/'`,
    ]);
  });

  it('requires or forbids the namespace by scope', () => {
    assert.deepEqual(render(validateObjectMeta({ name: 'a' }, ns)), ['metadata.namespace: Required value']);
    assert.deepEqual(render(validateObjectMeta({ name: 'a', namespace: 'Bad' }, ns)), [
      `metadata.namespace: Invalid value: "Bad": ${LABEL_MSG}`,
    ]);
    assert.deepEqual(render(validateObjectMeta({ name: 'a', namespace: 'x' }, { namespaced: false, nameValidation: 'subdomain' })), [
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  it('validates labels, annotations and generation', () => {
    const meta: ObjectMetaInput = {
      name: 'a',
      namespace: 'default',
      generation: -1,
      labels: { 'bad key': 'ok', good: 'bad value' },
      annotations: { 'a/b/c': 'x' },
    };
    assert.deepEqual(render(validateObjectMeta(meta, ns)), [
      'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
      `metadata.labels: Invalid value: "bad key": ${KEY_NAME_MSG}`,
      `metadata.labels: Invalid value: "bad value": ${VALUE_MSG}`,
      'metadata.annotations: Invalid value: "a/b/c": a qualified name ' +
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') " +
        "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
  });

  it('limits annotations to 256 KiB in total', () => {
    const big = { a: 'x'.repeat(256 * 1024 - 1) };
    assert.deepEqual(validateObjectMeta({ name: 'a', namespace: 'd', annotations: big }, ns), []);
    assert.deepEqual(render(validateObjectMeta({ name: 'a', namespace: 'd', annotations: { ...big, b: '' } }, ns)), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  it('validates ownerReferences as kube does', () => {
    assert.deepEqual(
      render(
        validateObjectMeta(
          {
            name: 'a',
            namespace: 'd',
            ownerReferences: [
              { apiVersion: 'apps/', kind: '', name: '', uid: '' },
              { apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' },
            ],
          },
          ns,
        ),
      ),
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
        'metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner',
      ],
    );
    const two = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'b', uid: '2', controller: true },
    ];
    assert.deepEqual(render(validateObjectMeta({ name: 'a', namespace: 'd', ownerReferences: two }, ns)), [
      'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true},' +
        '{"apiVersion":"apps/v1","kind":"StatefulSet","name":"b","uid":"2","controller":true}]: ' +
        'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and StatefulSet/b',
    ]);
  });

  it('validates finalizers', () => {
    assert.deepEqual(render(validateObjectMeta({ name: 'a', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion', 'x y'] }, ns)), [
      `metadata.finalizers: Invalid value: "x y": ${KEY_NAME_MSG}`,
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion","x y"]: finalizer orphan and foregroundDeletion cannot be both set',
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMetaInput = {
    name: 'a',
    namespace: 'd',
    uid: 'u1',
    resourceVersion: '5',
    generation: 2,
    creationTimestamp: '2024-01-01T00:00:00Z',
  };

  it('accepts an update that keeps the immutable fields', () => {
    assert.deepEqual(validateObjectMetaUpdate({ ...old, labels: { a: 'b' }, creationTimestamp: '2024-01-01T01:00:00+01:00' }, old), []);
  });

  it("reports changed immutable fields with kube's message", () => {
    const next: ObjectMetaInput = {
      ...old,
      name: 'b',
      namespace: 'e',
      uid: 'u2',
      creationTimestamp: '2025-01-01T00:00:00Z',
      deletionGracePeriodSeconds: 30,
    };
    assert.deepEqual(render(validateObjectMetaUpdate(next, old)), [
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.namespace: Invalid value: "e": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
      'metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable',
    ]);
  });

  it('requires a resourceVersion and forbids decrementing generation', () => {
    assert.deepEqual(render(validateObjectMetaUpdate({ ...old, resourceVersion: '', generation: 1 }, old)), [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.generation: Invalid value: 1: must not be decremented',
    ]);
  });

  it('forbids new finalizers on an object being deleted', () => {
    const deleting = { ...old, deletionTimestamp: '2024-02-01T00:00:00Z', finalizers: ['a.io/x'] };
    assert.deepEqual(render(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting)), [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    ]);
  });
});

describe('validateLabelSelector', () => {
  it('reports operator, values and key errors', () => {
    assert.deepEqual(
      render(
        validateLabelSelector(
          {
            matchLabels: { a: 'b' },
            matchExpressions: [
              { key: 'x', operator: 'In', values: [] },
              { key: 'y', operator: 'Exists', values: ['v'] },
              { key: 'z', operator: 'Foo' },
            ],
          },
          'spec.selector',
        ),
      ),
      [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator',
      ],
    );
  });
});

describe('parseResourceVersion', () => {
  it('parses decimal revisions, with "" and "0" as 0', () => {
    assert.equal(parseResourceVersion(''), 0);
    assert.equal(parseResourceVersion(undefined), 0);
    assert.equal(parseResourceVersion('0'), 0);
    assert.equal(parseResourceVersion('12345'), 12345);
  });

  it("rejects anything else with kube's messages per verb", () => {
    let err: unknown;
    try {
      parseResourceVersion('abc');
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ResourceVersionError);
    assert.equal(err.message, 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax');
    const list = err.toListStatusError().status;
    assert.equal(list.code, 400);
    assert.equal(
      list.message,
      'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
    );
    const watch = err.toWatchStatusError({ group: 'apps', resource: 'deployments' }).status;
    assert.equal(watch.code, 422);
    assert.equal(
      watch.message,
      'deployments.apps "" is invalid: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
    );
    assert.equal(err.toUnknownStatusError().status.code, 500);
    assert.throws(() => parseResourceVersion('-1'), {
      message: 'resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax',
    });
    assert.throws(() => parseResourceVersion('18446744073709551616'), {
      message:
        'resourceVersion: Invalid value: "18446744073709551616": strconv.ParseUint: parsing "18446744073709551616": value out of range',
    });
  });
});

describe('validateListOptions', () => {
  const msgs = (o: Parameters<typeof validateListOptions>[0], watchList = true): string[] => render(validateListOptions(o, watchList));

  it('accepts the usual list and watch options', () => {
    assert.deepEqual(msgs({ watch: false }), []);
    assert.deepEqual(msgs({ watch: false, resourceVersion: '5', resourceVersionMatch: 'Exact', limit: 500 }), []);
    assert.deepEqual(msgs({ watch: true, resourceVersion: '5', allowWatchBookmarks: true }), []);
    assert.deepEqual(msgs({ watch: true, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }), []);
  });

  it("gives kube's list messages", () => {
    assert.deepEqual(msgs({ watch: false, resourceVersionMatch: 'Exact', continue: 'x' }), [
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided',
    ]);
    assert.deepEqual(msgs({ watch: false, resourceVersion: '0', resourceVersionMatch: 'Exact' }), [
      'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    ]);
    assert.deepEqual(msgs({ watch: false, resourceVersion: '1', resourceVersionMatch: 'Foo' }), [
      'resourceVersionMatch: Unsupported value: "Foo": supported values: "Exact", "NotOlderThan", ""',
    ]);
    assert.deepEqual(msgs({ watch: false, sendInitialEvents: true }), [
      'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    ]);
  });

  it("gives kube's watch messages", () => {
    assert.deepEqual(msgs({ watch: true, sendInitialEvents: true }), [
      'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    ]);
    assert.deepEqual(msgs({ watch: true, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }, false), [
      'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
    ]);
    assert.deepEqual(msgs({ watch: true, resourceVersionMatch: 'Exact', continue: 'c' }), [
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
      'resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided',
    ]);
  });

  it('answers 422 on ListOptions.meta.k8s.io', () => {
    const s = listOptionsInvalid(validateListOptions({ watch: false, resourceVersionMatch: 'NotOlderThan' })).status;
    assert.equal(s.code, 422);
    assert.equal(s.reason, 'Invalid');
    assert.equal(
      s.message,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  });

  it('defaults a legacy watch to a watch-list', () => {
    assert.deepEqual(setListOptionsDefaults({ watch: true }), {
      watch: true,
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
    });
    assert.deepEqual(setListOptionsDefaults({ watch: true, resourceVersion: '7' }), { watch: true, resourceVersion: '7' });
    assert.deepEqual(setListOptionsDefaults({ watch: true, sendInitialEvents: false }), { watch: true, sendInitialEvents: false });
    assert.deepEqual(setListOptionsDefaults({ watch: false }), { watch: false });
    assert.deepEqual(setListOptionsDefaults({ watch: true }, false), { watch: true });
  });
});

describe('storageListStart', () => {
  const prefix = '/registry/pods/';
  const statusOf = (fn: () => unknown): { code: number; message: string } => {
    try {
      fn();
    } catch (e) {
      assert.ok(isStatusError(e));
      return { code: e.code, message: e.status.message };
    }
    assert.fail('did not throw');
  };

  it('picks the revision to read at', () => {
    assert.deepEqual(storageListStart({}, prefix), { withRev: 0, resourceVersion: 0 });
    assert.deepEqual(storageListStart({ resourceVersion: '9', resourceVersionMatch: 'Exact' }, prefix), { withRev: 9, resourceVersion: 9 });
    assert.deepEqual(storageListStart({ resourceVersion: '9', resourceVersionMatch: 'NotOlderThan' }, prefix), {
      withRev: 0,
      resourceVersion: 9,
    });
    assert.deepEqual(storageListStart({ resourceVersion: '9', limit: 10 }, prefix), { withRev: 9, resourceVersion: 9 });
    assert.deepEqual(storageListStart({ resourceVersion: '9' }, prefix), { withRev: 0, resourceVersion: 9 });
    const token = encodeContinue('/registry/pods/ns/a\x00', prefix, 20);
    assert.deepEqual(storageListStart({ continue: token, resourceVersion: '0' }, prefix), {
      withRev: 20,
      continueKey: '/registry/pods/ns/a\x00',
      resourceVersion: 0,
    });
  });

  it("rejects bad combinations with kube's 400s", () => {
    const token = encodeContinue('/registry/pods/a', prefix, 20);
    assert.deepEqual(
      statusOf(() => storageListStart({ continue: token, resourceVersion: '5' }, prefix)),
      {
        code: 400,
        message: 'specifying resource version is not allowed when using continue',
      },
    );
    assert.deepEqual(
      statusOf(() => storageListStart({ continue: 'a' }, prefix)),
      {
        code: 400,
        message: 'invalid continue token: continue key is not valid: illegal base64 data at input byte 0',
      },
    );
    assert.deepEqual(
      statusOf(() => storageListStart({ resourceVersion: 'x' }, prefix)),
      {
        code: 400,
        message: 'invalid resource version: resourceVersion: Invalid value: "x": strconv.ParseUint: parsing "x": invalid syntax',
      },
    );
  });
});

describe('generateName', () => {
  it('appends five characters from kube’s alphabet', () => {
    const name = generateName('web-');
    assert.match(name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(GENERATED_NAME_ALPHABET, 'bcdfghjklmnpqrstvwxz2456789');
  });

  it('cuts the base to 58 characters', () => {
    let i = 0;
    const name = generateName('a'.repeat(70), () => i++);
    assert.equal(name, `${'a'.repeat(58)}bcdfg`);
    assert.equal(name.length, 63);
  });
});
