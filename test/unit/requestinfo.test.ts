// RequestInfo as a case table, transcribed from kube's TestGetAPIRequestInfo, TestGetNonAPIRequestInfo and
// TestFieldSelectorParsing (k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go), plus the query
// spellings real clients send. Where kgate deliberately answers differently the row says so and why.
import assert from 'node:assert/strict';
import { parseRequestInfo } from '../../src/endpoints/requestinfo.js';

type Row = [
  method: string,
  url: string,
  verb: string,
  apiPrefix: string,
  apiGroup: string,
  apiVersion: string,
  namespace: string,
  resource: string,
  subresource: string,
  name: string,
  parts: string[],
];

function parse(method: string, url: string) {
  const [path, query = ''] = url.split('?', 2);
  return parseRequestInfo(method, path, new URLSearchParams(query));
}

function expectRows(rows: Row[]): void {
  for (const [method, url, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name, parts] of rows) {
    const where = [namespace && `in ${namespace}`, name && `named ${name}`, subresource && `/${subresource}`].filter(Boolean).join(' ');
    it(`${method} ${url} is ${verb} ${apiGroup ? `${apiGroup}/` : ''}${resource}${where ? ` ${where}` : ''}`, function () {
      const info = parse(method, url);
      assert.deepEqual(
        {
          isResourceRequest: info.isResourceRequest,
          verb: info.verb,
          apiPrefix: info.apiPrefix,
          apiGroup: info.apiGroup,
          apiVersion: info.apiVersion,
          namespace: info.namespace,
          resource: info.resource,
          subresource: info.subresource,
          name: info.name,
          parts: info.parts,
        },
        { isResourceRequest: true, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name, parts },
      );
      assert.equal(info.path, url.split('?')[0]);
    });
  }
}

describe('RequestInfo (requestinfo_test.go)', function () {
  describe('resource paths', function () {
    expectRows([
      ['GET', '/api/v1/namespaces', 'list', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
      ['GET', '/api/v1/namespaces/other/pods', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
      ['HEAD', '/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
      ['GET', '/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
      ['HEAD', '/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/nodes/node-1', 'get', 'api', '', 'v1', '', 'nodes', '', 'node-1', ['nodes', 'node-1']],
      // A trailing slash addresses the same thing (kube's splitPath trims slashes).
      ['GET', '/api/v1/namespaces/other/pods/', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
    ]);
  });

  describe('the namespaces resource itself', function () {
    // kube reports Namespace=<name> for /namespaces/<name> (and for its status and finalize subresources,
    // except a PATCH in some versions); kgate reports '' because its router takes a non-empty namespace on a
    // cluster-scoped resource as a path that does not exist.
    expectRows([
      ['GET', '/api/v1/namespaces/other', 'get', 'api', '', 'v1', '', 'namespaces', '', 'other', ['namespaces', 'other']],
      [
        'PATCH',
        '/api/v1/namespaces/new-namespace',
        'patch',
        'api',
        '',
        'v1',
        '',
        'namespaces',
        '',
        'new-namespace',
        ['namespaces', 'new-namespace'],
      ],
      [
        'PUT',
        '/api/v1/namespaces/other/finalize',
        'update',
        'api',
        '',
        'v1',
        '',
        'namespaces',
        'finalize',
        'other',
        ['namespaces', 'other', 'finalize'],
      ],
      [
        'PUT',
        '/api/v1/namespaces/other/status',
        'update',
        'api',
        '',
        'v1',
        '',
        'namespaces',
        'status',
        'other',
        ['namespaces', 'other', 'status'],
      ],
      ['DELETE', '/api/v1/namespaces/other', 'delete', 'api', '', 'v1', '', 'namespaces', '', 'other', ['namespaces', 'other']],
    ]);
  });

  describe('special verbs in the path and the watch parameter', function () {
    expectRows([
      ['GET', '/api/v1/proxy/namespaces/other/pods/foo', 'proxy', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
      // proxy takes no subresource: what follows the name is the proxied path.
      [
        'GET',
        '/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource',
        'proxy',
        'api',
        '',
        'v1',
        'other',
        'pods',
        '',
        'foo',
        ['pods', 'foo', 'subpath', 'not', 'a', 'subresource'],
      ],
      ['GET', '/api/v1/watch/pods', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/watch/namespaces/other/pods', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/watch/namespaces/other/pods/foo', 'watch', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
      [
        'GET',
        '/apis/apps/v1/watch/namespaces/other/deployments',
        'watch',
        'apis',
        'apps',
        'v1',
        'other',
        'deployments',
        '',
        '',
        ['deployments'],
      ],
      ['GET', '/api/v1/pods?watch=true', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/pods?watch=false', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/namespaces/other/pods?watch=1', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/namespaces/other/pods?watch=0', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      // Any value but "false" or "0" (in any case) is true, as runtime.Convert_Slice_string_To_bool decodes it:
      // the Python client sends watch=True.
      ['GET', '/api/v1/namespaces/other/pods?watch=True', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/namespaces/other/pods?watch=yes', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/namespaces/other/pods?watch=', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      ['GET', '/api/v1/namespaces/other/pods?watch=FALSE', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      // The first value counts.
      ['GET', '/api/v1/namespaces/other/pods?watch=false&watch=true', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      // watch only turns a list into a watch: a GET of one object stays a get (kube routes it to the get handler).
      ['GET', '/api/v1/namespaces/other/pods/foo?watch=true', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
      [
        'GET',
        '/api/v1/namespaces/other/pods/foo/status?watch=true',
        'get',
        'api',
        '',
        'v1',
        'other',
        'pods',
        'status',
        'foo',
        ['pods', 'foo', 'status'],
      ],
      // Nor does it touch other methods.
      ['DELETE', '/api/v1/namespaces/other/pods?watch=true', 'deletecollection', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      ['POST', '/api/v1/namespaces/other/pods?watch=true', 'create', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
    ]);
  });

  describe('subresources', function () {
    expectRows([
      [
        'GET',
        '/api/v1/namespaces/other/pods/foo/status',
        'get',
        'api',
        '',
        'v1',
        'other',
        'pods',
        'status',
        'foo',
        ['pods', 'foo', 'status'],
      ],
      [
        'GET',
        '/api/v1/namespaces/other/pods/foo/proxy/subpath',
        'get',
        'api',
        '',
        'v1',
        'other',
        'pods',
        'proxy',
        'foo',
        ['pods', 'foo', 'proxy', 'subpath'],
      ],
      [
        'PUT',
        '/apis/apps/v1/namespaces/other/deployments/web/scale',
        'update',
        'apis',
        'apps',
        'v1',
        'other',
        'deployments',
        'scale',
        'web',
        ['deployments', 'web', 'scale'],
      ],
      ['PATCH', '/api/v1/nodes/node-1/status', 'patch', 'api', '', 'v1', '', 'nodes', 'status', 'node-1', ['nodes', 'node-1', 'status']],
    ]);
  });

  describe('verbs by method', function () {
    expectRows([
      ['PATCH', '/api/v1/namespaces/other/pods/foo', 'patch', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
      ['PUT', '/api/v1/namespaces/other/pods/foo', 'update', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
      ['DELETE', '/api/v1/namespaces/other/pods/foo', 'delete', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
      ['POST', '/api/v1/namespaces/other/pods', 'create', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      ['POST', '/api/v1/namespaces', 'create', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
      // A method kube has no verb for: an empty verb, still a resource request.
      ['OPTIONS', '/api/v1/namespaces/other/pods', '', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
    ]);
  });

  describe('deletecollection', function () {
    expectRows([
      ['DELETE', '/api/v1/nodes', 'deletecollection', 'api', '', 'v1', '', 'nodes', '', '', ['nodes']],
      ['DELETE', '/api/v1/namespaces', 'deletecollection', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
      ['DELETE', '/api/v1/namespaces/other/pods', 'deletecollection', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
      [
        'DELETE',
        '/apis/extensions/v1/namespaces/other/pods',
        'deletecollection',
        'apis',
        'extensions',
        'v1',
        'other',
        'pods',
        '',
        '',
        ['pods'],
      ],
    ]);
  });

  describe('API groups and versions', function () {
    expectRows([
      ['POST', '/apis/extensions/v1/namespaces/other/pods', 'create', 'apis', 'extensions', 'v1', 'other', 'pods', '', '', ['pods']],
      [
        'POST',
        '/apis/extensions/v1beta3/namespaces/other/pods',
        'create',
        'apis',
        'extensions',
        'v1beta3',
        'other',
        'pods',
        '',
        '',
        ['pods'],
      ],
      [
        'GET',
        '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin',
        'get',
        'apis',
        'rbac.authorization.k8s.io',
        'v1',
        '',
        'clusterroles',
        '',
        'admin',
        ['clusterroles', 'admin'],
      ],
      ['GET', '/apis/batch/v1/job', 'list', 'apis', 'batch', 'v1', '', 'job', '', '', ['job']],
      ['GET', '/apis/batch/v1/job/foo/scale', 'get', 'apis', 'batch', 'v1', '', 'job', 'scale', 'foo', ['job', 'foo', 'scale']],
      // Path segments are percent-decoded (Go's URL.Path is).
      ['GET', '/api/v1/namespaces/other/configmaps/a%3Ab', 'get', 'api', '', 'v1', 'other', 'configmaps', '', 'a:b', ['configmaps', 'a:b']],
    ]);
  });

  describe('non-resource paths', function () {
    const cases: Array<[string, string]> = [
      ['no resource path', '/'],
      ['empty', ''],
      ['just apiversion', '/api/version/'],
      ['not enough steps', '/api/version'],
      ['one step', '/api'],
      ['just prefix, group, version', '/apis/group/version/'],
      ['group without enough steps', '/apis/extensions/v1beta1'],
      ['just the groups prefix', '/apis'],
      ['just a group', '/apis/apps'],
      ['bad prefix', '/badprefix/version/resource'],
      ['bad root', '/not-api/version/resource'],
      ['missing api group', '/apis/version/resource'],
      ['health', '/healthz'],
      ['version', '/version'],
      ['openapi', '/openapi/v2'],
    ];
    for (const [why, path] of cases) {
      it(`GET ${path || '(empty)'} is not a resource request, verb get (${why})`, function () {
        const info = parse('GET', path);
        assert.equal(info.isResourceRequest, false);
        assert.equal(info.verb, 'get');
        assert.equal(info.resource, '');
        assert.equal(info.name, '');
      });
    }

    it("a non-resource request's verb is the lower-cased HTTP method", function () {
      assert.equal(parse('POST', '/healthz').verb, 'post');
      assert.equal(parse('DELETE', '/apis').verb, 'delete');
    });

    it('a special verb with nothing after it is not a resource request', function () {
      assert.equal(parse('GET', '/api/v1/watch').isResourceRequest, false);
      assert.equal(parse('GET', '/apis/apps/v1/proxy/').isResourceRequest, false);
    });
  });

  describe('resource requests as kube counts them (TestGetNonAPIRequestInfo)', function () {
    const cases: Array<[string, string]> = [
      ['simple groupless', '/api/version/resource'],
      ['simple group', '/apis/group/version/resource/name/subresource'],
      ['more steps', '/api/version/resource/name/subresource'],
      ['group list', '/apis/batch/v1/job'],
      ['group get', '/apis/batch/v1/job/foo'],
      ['group subresource', '/apis/batch/v1/job/foo/scale'],
    ];
    for (const [why, path] of cases) {
      it(`GET ${path} is a resource request (${why})`, function () {
        assert.equal(parse('GET', path).isResourceRequest, true);
      });
    }
  });

  // Not transcribed: TestFieldSelectorParsing. kube sets Name from `fieldSelector=metadata.name=<n>` on list and
  // watch (so RBAC resourceNames apply to them); kgate leaves Name empty there, because its router reads a
  // non-empty Name as an object path. The list and watch handlers apply the selector themselves.
  describe('field selectors do not change the verb (TestFieldSelectorParsing)', function () {
    const cases: Array<[string, string]> = [
      ['/apis/group/version/resource', 'list'],
      ['/apis/group/version/resource?fieldSelector=metadata.name=name1', 'list'],
      ['/apis/group/version/resource?watch=true&fieldSelector=metadata.name=name1', 'watch'],
      ['/apis/group/version/resource?fieldSelector=foo=bar', 'list'],
      ['/apis/group/version/resource?fieldSelector=metadata.name=name1,foo', 'list'],
      ['/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true', 'watch'],
      ['/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=false', 'list'],
    ];
    for (const [url, verb] of cases) {
      it(`GET ${url} is ${verb}`, function () {
        assert.equal(parse('GET', url).verb, verb);
      });
    }
  });
});
