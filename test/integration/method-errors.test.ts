// Methods a path has no route for get the router's 405 before anything reads the body, as kube-apiserver's
// go-restful container answers them; paths nothing serves are 404.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const NOT_ALLOWED = 'the server does not allow this method on the requested resource';
const NOT_FOUND = 'the server could not find the requested resource';

describe('method and path errors', function () {
  this.timeout(60_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate();
  });
  after(async () => kg?.close());

  const cases: Array<[string, string, number, string]> = [
    ['PUT', '/api/v1/namespaces/default/configmaps', 405, NOT_ALLOWED],
    ['PATCH', '/api/v1/namespaces/default/configmaps', 405, NOT_ALLOWED],
    ['PUT', '/apis/apps/v1/deployments', 405, NOT_ALLOWED],
    ['POST', '/api/v1/namespaces/default/configmaps/x', 405, NOT_ALLOWED],
    ['POST', '/api/v1/namespaces/default/pods/x/status', 405, NOT_ALLOWED],
    ['DELETE', '/api/v1/namespaces', 405, NOT_ALLOWED],
    ['GET', '/api/v1/namespaces/default/configmaps/x/bogus', 404, NOT_FOUND],
    ['GET', '/api/v1/bogus', 404, NOT_FOUND],
  ];
  for (const [method, path, code, message] of cases) {
    it(`${method} ${path} is ${code}`, async () => {
      // A body that is not even JSON: the route is refused before the body is read.
      const r = await kg.request(method, path, { raw: '{not json', headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, code, r.text);
      assert.equal(r.body.kind, 'Status');
      assert.equal(r.body.reason, code === 405 ? 'MethodNotAllowed' : 'NotFound');
      assert.equal(r.body.message, message);
    });
  }
});
