// networking.k8s.io/v1 IPAddresses and ServiceCIDRs over HTTP and through kubectl (kube's pkg/registry/networking/
// {ipaddress,servicecidr}): a Service's ClusterIP is an IPAddress naming the Service, listed by `kubectl get
// ipaddresses` (and its short name `ip`) and gone with the Service; the default ServiceCIDR `kubernetes` holds
// --service-cluster-ip-range; objects users write are validated with kube's 422s and nothing refused is stored.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const NET = '/apis/networking.k8s.io/v1';
const NS = '/api/v1/namespaces/default';

/** kubectl's table as rows of whitespace-separated cells (header first). */
function rows(stdout: string): string[][] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
}

describe('networking.k8s.io IPAddresses and ServiceCIDRs', function () {
  this.timeout(120_000);
  let kg: Kgate;

  before(async () => {
    kg = await startKgate({ flags: ['--service-cluster-ip-range=10.0.0.0/24'] });
  });
  after(async () => {
    await kg?.request('DELETE', `${NS}/services/ipam-web`);
    for (const ip of ['10.9.9.9']) await kg?.request('DELETE', `${NET}/ipaddresses/${ip}`);
    await kg?.request('DELETE', `${NET}/servicecidrs/ipam-extra`);
    await kg?.close();
  });

  it('shows a Service’s ClusterIP as an IPAddress naming the Service, to kubectl and the API, until the Service goes', async () => {
    const created = await kg.request('POST', `${NS}/services`, {
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ipam-web' }, spec: { ports: [{ port: 80 }] } },
    });
    assert.equal(created.status, 201, created.text);
    const ip: string = created.body.spec.clusterIP;

    const got = await kg.request('GET', `${NET}/ipaddresses/${ip}`);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.kind, 'IPAddress');
    assert.deepEqual(got.body.spec, { parentRef: { resource: 'services', namespace: 'default', name: 'ipam-web' } });
    assert.equal(got.body.metadata.labels['ipaddress.kubernetes.io/managed-by'], 'ipallocator.k8s.io');

    const table = rows((await kg.kubectl(['get', 'ipaddresses'])).stdout);
    assert.deepEqual(table[0], ['NAME', 'PARENTREF']);
    assert.deepEqual(
      table.find((r) => r[0] === ip),
      [ip, 'services/default/ipam-web'],
    );
    assert.deepEqual(
      table.find((r) => r[0] === '10.0.0.1'),
      ['10.0.0.1', 'services/default/kubernetes'],
    );
    // The short name, and -o jsonpath over the list.
    const parents = (await kg.kubectl(['get', 'ip', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.parentRef.name}{"\\n"}{end}']))
      .stdout;
    assert.ok(parents.split('\n').includes(`${ip}=ipam-web`), parents);

    await kg.kubectl(['delete', 'service', 'ipam-web']);
    const gone = await kg.request('GET', `${NET}/ipaddresses/${ip}`);
    assert.equal(gone.status, 404, gone.text);
  });

  it('lists the default ServiceCIDR `kubernetes` with the range, Ready', async () => {
    const table = rows((await kg.kubectl(['get', 'servicecidrs'])).stdout);
    assert.deepEqual(table[0], ['NAME', 'CIDRS', 'AGE']);
    assert.deepEqual(table.find((r) => r[0] === 'kubernetes')?.slice(0, 2), ['kubernetes', '10.0.0.0/24']);
    const got = await kg.request('GET', `${NET}/servicecidrs/kubernetes`);
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(got.body.spec, { cidrs: ['10.0.0.0/24'] });
    assert.deepEqual(
      got.body.status.conditions.map((c: any) => [c.type, c.status, c.message]),
      [['Ready', 'True', 'Kubernetes default Service CIDR is ready']],
    );
  });

  it('refuses IPAddresses whose name is no canonical IP or whose parentRef is missing, with kube’s 422', async () => {
    const bad = await kg.kubectl(['create', '-f', '-'], {
      allowFail: true,
      input: JSON.stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IPAddress',
        metadata: { name: '2001:DB8::1' },
        spec: { parentRef: { resource: 'services', namespace: 'default', name: 'x' } },
      }),
    });
    assert.notEqual(bad.code, 0);
    assert.match(
      bad.stderr,
      /The IPAddress "2001:DB8::1" is invalid: metadata.name: Invalid value: "2001:DB8::1": must be in canonical form \("2001:db8::1"\)/,
    );

    const noParent = await kg.request('POST', `${NET}/ipaddresses`, {
      body: { apiVersion: 'networking.k8s.io/v1', kind: 'IPAddress', metadata: { name: '10.9.9.8' }, spec: {} },
    });
    assert.equal(noParent.status, 422, noParent.text);
    assert.equal(noParent.body.reason, 'Invalid');
    assert.equal(noParent.body.message, 'IPAddress.networking.k8s.io "10.9.9.8" is invalid: spec.parentRef: Required value');
    assert.deepEqual(noParent.body.details.causes, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.parentRef' }]);
    assert.equal((await kg.request('GET', `${NET}/ipaddresses/10.9.9.8`)).status, 404);

    // A good one is stored; its parentRef is immutable.
    const ok = await kg.request('POST', `${NET}/ipaddresses`, {
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IPAddress',
        metadata: { name: '10.9.9.9' },
        spec: { parentRef: { group: 'gateway.networking.k8s.io', resource: 'gateways', namespace: 'default', name: 'gw' } },
      },
    });
    assert.equal(ok.status, 201, ok.text);
    const table = rows((await kg.kubectl(['get', 'ipaddress', '10.9.9.9'])).stdout);
    assert.deepEqual(table[1], ['10.9.9.9', 'gateways.gateway.networking.k8s.io/default/gw']);
    const changed = await kg.kubectl(['patch', 'ipaddress', '10.9.9.9', '--type=merge', '-p', '{"spec":{"parentRef":{"name":"other"}}}'], {
      allowFail: true,
    });
    assert.notEqual(changed.code, 0);
    assert.match(changed.stderr, /spec.parentRef: Invalid value: .*"Name":"other".*: field is immutable/);
  });

  it('refuses ServiceCIDRs with kube’s 422 and lets one CIDR gain a second of the other family', async () => {
    const two4 = await kg.request('POST', `${NET}/servicecidrs`, {
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'ServiceCIDR',
        metadata: { name: 'ipam-two4' },
        spec: { cidrs: ['10.4.0.0/24', '10.5.0.0/24'] },
      },
    });
    assert.equal(two4.status, 422, two4.text);
    assert.equal(
      two4.body.message,
      'ServiceCIDR.networking.k8s.io "ipam-two4" is invalid: spec.cidrs: Invalid value: ["10.4.0.0/24","10.5.0.0/24"]: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64',
    );
    const notCanonical = await kg.kubectl(['create', '-f', '-'], {
      allowFail: true,
      input: JSON.stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'ServiceCIDR',
        metadata: { name: 'ipam-bits' },
        spec: { cidrs: ['10.4.0.1/24'] },
      }),
    });
    assert.notEqual(notCanonical.code, 0);
    assert.match(notCanonical.stderr, /spec.cidrs\[0\]: Invalid value: "10.4.0.1\/24": must not have bits set beyond the prefix length/);
    assert.equal((await kg.request('GET', `${NET}/servicecidrs/ipam-two4`)).status, 404);

    const made = await kg.request('POST', `${NET}/servicecidrs`, {
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'ServiceCIDR',
        metadata: { name: 'ipam-extra' },
        spec: { cidrs: ['10.20.0.0/24'] },
      },
    });
    assert.equal(made.status, 201, made.text);
    const moved = await kg.kubectl(['patch', 'servicecidr', 'ipam-extra', '--type=merge', '-p', '{"spec":{"cidrs":["10.21.0.0/24"]}}'], {
      allowFail: true,
    });
    assert.notEqual(moved.code, 0);
    assert.match(moved.stderr, /spec.cidrs\[0\]: Invalid value: "10.21.0.0\/24": field is immutable/);
    await kg.kubectl(['patch', 'servicecidr', 'ipam-extra', '--type=merge', '-p', '{"spec":{"cidrs":["10.20.0.0/24","fd00:20::/64"]}}']);
    const table = rows((await kg.kubectl(['get', 'servicecidr', 'ipam-extra'])).stdout);
    assert.deepEqual(table[1]?.slice(0, 2), ['ipam-extra', '10.20.0.0/24,fd00:20::/64']);
  });
});
