// ConfigMap and Secret data rules (ValidateConfigMap, ValidateSecret): keys, duplicates across data and
// binaryData, and the 1 MiB total, with the messages kube-apiserver v1.34.4 answered for the same bodies.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const CMS = '/api/v1/namespaces/default/configmaps';
const SECRETS = '/api/v1/namespaces/default/secrets';
const KEY_RULE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const BIG = 'x'.repeat(1_100_000);

describe('ConfigMap and Secret data validation', function () {
  this.timeout(60_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate();
  });
  after(async () => kg?.close());

  const cases: Array<[string, string, Record<string, unknown>, string, string]> = [
    [
      'a ConfigMap key with a space',
      CMS,
      { metadata: { name: 'k1' }, data: { 'bad key!': 'x' } },
      'data[bad key!]',
      `Invalid value: "bad key!": ${KEY_RULE}`,
    ],
    [
      'a ConfigMap key starting with ..',
      CMS,
      { metadata: { name: 'k2' }, data: { '..x': 'z' } },
      'data[..x]',
      `Invalid value: "..x": must not start with '..'`,
    ],
    [
      'a key in both data and binaryData',
      CMS,
      { metadata: { name: 'k3' }, data: { a: 'x' }, binaryData: { a: 'eA==' } },
      'data[a]',
      'Invalid value: "a": duplicate of key present in binaryData',
    ],
    ['a ConfigMap over 1 MiB', CMS, { metadata: { name: 'k4' }, data: { big: BIG } }, '[]', 'Too long: may not be more than 1048576 bytes'],
    [
      'a Secret key with a space',
      SECRETS,
      { metadata: { name: 's1' }, data: { 'bad key!': 'eA==' } },
      'data[bad key!]',
      `Invalid value: "bad key!": ${KEY_RULE}`,
    ],
    [
      'a Secret over 1 MiB (stringData counts once merged)',
      SECRETS,
      { metadata: { name: 's2' }, stringData: { big: BIG } },
      'data',
      'Too long: may not be more than 1048576 bytes',
    ],
  ];
  for (const [name, path, body, field, message] of cases) {
    it(`${name} is 422 with kube's cause, and nothing is stored`, async () => {
      const r = await kg.request('POST', path, { body });
      assert.equal(r.status, 422, r.text);
      const reason = message.startsWith('Too long') ? 'FieldValueTooLong' : 'FieldValueInvalid';
      assert.deepEqual(r.body.details.causes, [{ reason, message, field }]);
      const kind = path === CMS ? 'ConfigMap' : 'Secret';
      assert.equal(r.body.message, `${kind} "${(body.metadata as { name: string }).name}" is invalid: ${field}: ${message}`);
      assert.equal((await kg.request('GET', `${path}/${(body.metadata as { name: string }).name}`)).status, 404);
    });
  }
});
