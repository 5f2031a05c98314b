// Service allocation over HTTP, through two kgate servers on one etcd (kube's Service REST allocators,
// pkg/registry/core/service/{ipallocator,portallocator,storage}): concurrent creates get distinct ClusterIPs inside
// --service-cluster-ip-range and distinct NodePorts; a taken IP or NodePort is refused with kube's 422; deleting a
// Service or changing its type gives them back. What etcdctl shows: one IPAddress object per ClusterIP under
// /registry/ipaddresses/ and the NodePort bitmap at /registry/ranges/servicenodeports. The `kubernetes` Service,
// its Endpoints and EndpointSlice as kubectl prints them; the flags' checks.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseOptions } from '../../src/server/options/argv.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { spawnKgateProcess, type KgateProcess } from '../support/kgate-process.js';

const execFileAsync = promisify(execFile);
const NS = '/api/v1/namespaces/default';

function service(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } };
}

async function etcdctl(kg: Kgate, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('etcdctl', ['--endpoints', kg.etcd.endpoint, ...args], {
    env: { ...process.env, ETCDCTL_API: '3' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The IPAddress objects etcd holds, by IP. */
async function ipAddresses(kg: Kgate): Promise<Map<string, any>> {
  const out = JSON.parse(await etcdctl(kg, 'get', '--prefix', '/registry/ipaddresses/', '-w', 'json'));
  const kvs: { key: string; value: string }[] = out.kvs ?? [];
  return new Map(
    kvs.map((kv) => {
      const key = Buffer.from(kv.key, 'base64').toString();
      return [key.slice('/registry/ipaddresses/'.length), JSON.parse(Buffer.from(kv.value, 'base64').toString())];
    }),
  );
}

/** The NodePorts the stored bitmap marks taken. */
async function allocatedNodePorts(kg: Kgate): Promise<number[]> {
  const value = JSON.parse(await etcdctl(kg, 'get', '/registry/ranges/servicenodeports', '--print-value-only'));
  assert.equal(value.kind, 'RangeAllocation');
  assert.equal(value.range, '30000-32767');
  const hex = Buffer.from(value.data, 'base64').toString('hex');
  const bits = hex === '' ? 0n : BigInt(`0x${hex}`);
  const ports: number[] = [];
  for (let i = 0; i < 2768; i++) if (bits & (1n << BigInt(i))) ports.push(30000 + i);
  return ports;
}

function inDefaultRange(ip: string): boolean {
  const m = /^10\.0\.0\.(\d+)$/.exec(ip);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 254;
}

describe('Service allocation', function () {
  this.timeout(180_000);
  let a: Kgate;
  // The second server is its own OS process on the same etcd: nothing shared with `a` but etcd.
  let b: KgateProcess;

  before(async () => {
    a = await startKgate();
    b = await spawnKgateProcess(a);
  });
  after(async () => {
    await b?.stop();
    await a?.close();
  });

  it('gives 100 Services created at once through two servers 100 distinct ClusterIPs inside the range', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).request('POST', `${NS}/services`, { body: service(`many-${i}`) })),
    );
    for (const r of results) assert.equal(r.status, 201, r.text);
    const ips = results.map((r) => r.body.spec.clusterIP as string);
    assert.equal(new Set(ips).size, 100, `duplicates among ${ips.join(' ')}`);
    for (const ip of ips) assert.ok(inDefaultRange(ip) && ip !== '10.0.0.1', `${ip} is outside 10.0.0.0/24 or is the kubernetes Service's`);
    for (const r of results) {
      assert.deepEqual(r.body.spec.clusterIPs, [r.body.spec.clusterIP]);
      assert.deepEqual(r.body.spec.ipFamilies, ['IPv4']);
      assert.equal(r.body.spec.ipFamilyPolicy, 'SingleStack');
    }
    // Each ClusterIP is an IPAddress object in etcd naming its Service, as kube 1.34 stores them.
    const stored = await ipAddresses(a);
    for (const r of results) {
      const obj = stored.get(r.body.spec.clusterIP);
      assert.ok(obj, `no IPAddress for ${r.body.spec.clusterIP}`);
      assert.equal(obj.kind, 'IPAddress');
      assert.equal(obj.apiVersion, 'networking.k8s.io/v1');
      assert.deepEqual(obj.spec, { parentRef: { resource: 'services', namespace: 'default', name: r.body.metadata.name } });
      assert.deepEqual(obj.metadata.labels, {
        'ipaddress.kubernetes.io/ip-family': 'IPv4',
        'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io',
      });
    }
    assert.equal(stored.get('10.0.0.1')?.spec.parentRef.name, 'kubernetes');
    // No legacy bitmap: kube 1.34 no longer dual-writes /registry/ranges/serviceips.
    assert.equal(await etcdctl(a, 'get', '/registry/ranges/serviceips', '--print-value-only'), '');
  });

  it('refuses a taken ClusterIP with kube’s 422 through either server, and frees it on delete', async () => {
    const first = await a.request('POST', `${NS}/services`, { body: service('ip-owner', { clusterIP: '10.0.0.5' }) });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.spec.clusterIP, '10.0.0.5');
    const message =
      'Service "ip-thief" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: provided IP is already allocated';
    for (const kg of [a, b]) {
      const refused = await kg.request('POST', `${NS}/services`, { body: service('ip-thief', { clusterIP: '10.0.0.5' }) });
      assert.equal(refused.status, 422, refused.text);
      assert.equal(refused.body.reason, 'Invalid');
      assert.equal(refused.body.message, message);
      assert.deepEqual(refused.body.details.causes, [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: provided IP is already allocated',
          field: 'spec.clusterIPs',
        },
      ]);
    }
    // Nothing was written for the refused Service, and the address still names its owner.
    assert.equal((await b.request('GET', `${NS}/services/ip-thief`)).status, 404);
    assert.equal((await ipAddresses(a)).get('10.0.0.5')?.spec.parentRef.name, 'ip-owner');

    const outside = await b.request('POST', `${NS}/services`, { body: service('ip-outside', { clusterIP: '10.1.0.5' }) });
    assert.equal(outside.status, 422);
    assert.equal(
      outside.body.message,
      'Service "ip-outside" is invalid: spec.clusterIPs: Invalid value: ["10.1.0.5"]: failed to allocate IP 10.1.0.5: the provided network does not match the current range',
    );

    assert.equal((await a.request('DELETE', `${NS}/services/ip-owner`)).status, 200);
    assert.equal((await ipAddresses(a)).has('10.0.0.5'), false);
    const again = await b.request('POST', `${NS}/services`, { body: service('ip-thief', { clusterIP: '10.0.0.5' }) });
    assert.equal(again.status, 201, again.text);
    assert.equal((await ipAddresses(a)).get('10.0.0.5')?.spec.parentRef.name, 'ip-thief');
  });

  it('refuses a taken NodePort with kube’s 422 and frees it on delete', async () => {
    const owner = await a.request('POST', `${NS}/services`, {
      body: service('np-owner', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
    });
    assert.equal(owner.status, 201, owner.text);
    assert.equal(owner.body.spec.ports[0].nodePort, 30080);
    assert.ok((await allocatedNodePorts(a)).includes(30080));
    const refused = await b.request('POST', `${NS}/services`, {
      body: service('np-thief', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
    });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(
      refused.body.message,
      'Service "np-thief" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    // A refused Service gives back the ClusterIP it was about to get.
    const owners = [...(await ipAddresses(a)).values()].map((o) => o.spec.parentRef.name);
    assert.equal(owners.includes('np-thief'), false);

    const outside = await b.request('POST', `${NS}/services`, {
      body: service('np-outside', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] }),
    });
    assert.equal(outside.status, 422);
    assert.equal(
      outside.body.message,
      'Service "np-outside" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );

    assert.equal((await a.request('DELETE', `${NS}/services/np-owner`)).status, 200);
    assert.equal((await allocatedNodePorts(a)).includes(30080), false);
    const again = await b.request('POST', `${NS}/services`, {
      body: service('np-thief', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
    });
    assert.equal(again.status, 201, again.text);
  });

  it('gives NodePorts created at once through two servers distinct ports, and a Local LoadBalancer a health-check port', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).request('POST', `${NS}/services`, {
          body: service(`lb-${i}`, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
        }),
      ),
    );
    for (const r of results) assert.equal(r.status, 201, r.text);
    const ports = results.flatMap((r) => [r.body.spec.ports[0].nodePort as number, r.body.spec.healthCheckNodePort as number]);
    assert.equal(new Set(ports).size, 40, `duplicates among ${ports.join(' ')}`);
    for (const p of ports) assert.ok(p >= 30000 && p <= 32767, `${p} is outside 30000-32767`);
    const stored = await allocatedNodePorts(a);
    for (const p of ports) assert.ok(stored.includes(p), `${p} is not marked in the bitmap`);
    await Promise.all(results.map((r) => b.request('DELETE', `${NS}/services/${r.body.metadata.name}`)));
    const left = await allocatedNodePorts(a);
    for (const p of ports) assert.equal(left.includes(p), false, `${p} was not released`);
  });

  it('releases the ClusterIP on a change to ExternalName and the NodePorts on a change to ClusterIP', async () => {
    const created = await a.request('POST', `${NS}/services`, { body: service('changer', { type: 'NodePort' }) });
    assert.equal(created.status, 201, created.text);
    const ip: string = created.body.spec.clusterIP;
    const nodePort: number = created.body.spec.ports[0].nodePort;
    assert.ok((await allocatedNodePorts(a)).includes(nodePort));

    const toClusterIP = await b.request('PATCH', `${NS}/services/changer`, {
      body: { spec: { type: 'ClusterIP', externalTrafficPolicy: null } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(toClusterIP.status, 200, toClusterIP.text);
    assert.equal(toClusterIP.body.spec.ports[0].nodePort, undefined);
    assert.equal(toClusterIP.body.spec.clusterIP, ip, 'an update keeps the ClusterIP');
    assert.equal((await allocatedNodePorts(a)).includes(nodePort), false);

    const toExternal = await a.request('PATCH', `${NS}/services/changer`, {
      body: { spec: { type: 'ExternalName', externalName: 'example.com' } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(toExternal.status, 200, toExternal.text);
    assert.equal(toExternal.body.spec.clusterIP, undefined);
    assert.equal((await ipAddresses(a)).has(ip), false);

    // And back: a new ClusterIP is allocated.
    const back = await b.request('PATCH', `${NS}/services/changer`, {
      body: { spec: { type: 'ClusterIP', externalName: null } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(back.status, 200, back.text);
    assert.ok(inDefaultRange(back.body.spec.clusterIP));
    assert.equal((await ipAddresses(a)).get(back.body.spec.clusterIP)?.spec.parentRef.name, 'changer');
  });

  it('refuses to change a ClusterIP on update', async () => {
    const created = await a.request('POST', `${NS}/services`, { body: service('fixed') });
    assert.equal(created.status, 201, created.text);
    const ip: string = created.body.spec.clusterIP;
    const other = ip === '10.0.0.77' ? '10.0.0.78' : '10.0.0.77';
    const changed = await b.request('PATCH', `${NS}/services/fixed`, {
      body: { spec: { clusterIP: other, clusterIPs: [other] } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(changed.status, 422, changed.text);
    assert.match(changed.body.message, /spec\.clusterIPs\[0\]: Invalid value: \[".*"\]: may not change once set/);
    assert.equal((await ipAddresses(a)).get(ip)?.spec.parentRef.name, 'fixed');
  });

  it('allocates nothing for a dry run and for a headless Service', async () => {
    const before = (await ipAddresses(a)).size;
    const dry = await a.request('POST', `${NS}/services?dryRun=All`, { body: service('dry') });
    assert.equal(dry.status, 201, dry.text);
    const headless = await a.request('POST', `${NS}/services`, {
      body: service('headless', { clusterIP: 'None', selector: { app: 'x' } }),
    });
    assert.equal(headless.status, 201, headless.text);
    assert.deepEqual(headless.body.spec.clusterIPs, ['None']);
    assert.equal((await ipAddresses(a)).size, before);
  });

  it('serves the kubernetes Service, its Endpoints and EndpointSlice in default', async () => {
    const get = await a.kubectl(['get', 'svc', 'kubernetes', '-n', 'default']);
    assert.equal(get.code, 0, get.stderr);
    const [header, row] = get.stdout.trim().split('\n');
    assert.match(header, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
    assert.match(row, /^kubernetes\s+ClusterIP\s+10\.0\.0\.1\s+<none>\s+443\/TCP\s+\S+$/);
    const svc = JSON.parse((await a.kubectl(['get', 'svc', 'kubernetes', '-o', 'json'])).stdout);
    assert.deepEqual(svc.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
    assert.deepEqual(svc.spec.ports, [{ name: 'https', protocol: 'TCP', port: 443, targetPort: a.server.port }]);
    const advertised: string = a.config.services?.advertiseAddress ?? '';
    const slice = JSON.parse((await a.kubectl(['get', 'endpointslice', 'kubernetes', '-o', 'json'])).stdout);
    assert.equal(slice.metadata.labels['kubernetes.io/service-name'], 'kubernetes');
    assert.equal(slice.endpoints.length, 1);
    assert.deepEqual(slice.endpoints[0].conditions, { ready: true });
    const endpoints = JSON.parse((await a.kubectl(['get', 'endpoints', 'kubernetes', '-o', 'json'])).stdout);
    assert.deepEqual(endpoints.subsets[0].ports, [{ name: 'https', port: slice.ports[0].port, protocol: 'TCP' }]);
    assert.deepEqual(endpoints.subsets[0].addresses, [{ ip: slice.endpoints[0].addresses[0] }]);
    if (advertised) assert.equal(slice.endpoints[0].addresses[0], advertised);
    // Only in default.
    const all = await a.kubectl(['get', 'svc', '-A', '-l', 'provider=kubernetes', '-o', 'name']);
    assert.equal(all.stdout.trim(), 'service/kubernetes');
  });
});

describe('Service network flags', function () {
  this.timeout(180_000);

  it('takes the kubernetes ClusterIP from --service-cluster-ip-range and the endpoint from --advertise-address', async () => {
    const kg = await startKgate({
      flags: ['--service-cluster-ip-range=10.96.0.0/16', '--advertise-address=10.1.2.3', '--service-node-port-range=31000-31010'],
    });
    try {
      const get = await kg.kubectl(['get', 'svc', 'kubernetes']);
      assert.match(get.stdout.trim().split('\n')[1], /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\S+$/);
      const slice = JSON.parse((await kg.kubectl(['get', 'endpointslice', 'kubernetes', '-o', 'json'])).stdout);
      assert.deepEqual(slice.endpoints[0].addresses, ['10.1.2.3']);
      const created = await kg.request('POST', `${NS}/services`, { body: service('np', { type: 'NodePort' }) });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.spec.clusterIP, /^10\.96\.\d+\.\d+$/);
      const port: number = created.body.spec.ports[0].nodePort;
      assert.ok(port >= 31000 && port <= 31010, String(port));
      const outside = await kg.request('POST', `${NS}/services`, {
        body: service('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      });
      assert.equal(
        outside.body.message,
        'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is not in the valid range. The range of valid ports is 31000-31010',
      );
    } finally {
      await kg.close();
    }
  });

  it('lists every server sharing the etcd in the kubernetes Endpoints, and drops one that stops', async () => {
    const first = await startKgate({ flags: ['--advertise-address=10.1.2.4'] });
    let second: Kgate | undefined;
    try {
      second = await startKgate({ etcd: first.etcd, flags: ['--advertise-address=10.1.2.3'] });
      const addresses = async (kg: Kgate) => {
        const endpoints = JSON.parse((await kg.kubectl(['get', 'endpoints', 'kubernetes', '-o', 'json'])).stdout);
        const slice = JSON.parse((await kg.kubectl(['get', 'endpointslice', 'kubernetes', '-o', 'json'])).stdout);
        const fromSlice = (slice.endpoints ?? []).map((e: { addresses: string[] }) => e.addresses[0]);
        const fromEndpoints = (endpoints.subsets ?? []).flatMap((s: { addresses: { ip: string }[] }) => s.addresses.map((a) => a.ip));
        assert.deepEqual(fromSlice, fromEndpoints);
        return fromEndpoints;
      };
      // The second server reconciled last, seeing both leases.
      assert.deepEqual(await addresses(first), ['10.1.2.3', '10.1.2.4']);
      const leases = await etcdctl(first, 'get', '--prefix', '/registry/masterleases/', '--keys-only');
      assert.deepEqual(leases.split('\n').filter(Boolean), ['/registry/masterleases/10.1.2.3', '/registry/masterleases/10.1.2.4']);
      await second.close();
      second = undefined;
      assert.deepEqual(await addresses(first), ['10.1.2.4']);
    } finally {
      await second?.close();
      await first.close();
    }
  });

  it('allocates one ClusterIP per family on a dual-stack range', async () => {
    const kg = await startKgate({ flags: ['--service-cluster-ip-range=10.0.0.0/24,fd00:10::/108', '--advertise-address=10.1.2.3'] });
    try {
      const dual = await kg.request('POST', `${NS}/services`, { body: service('dual', { ipFamilyPolicy: 'RequireDualStack' }) });
      assert.equal(dual.status, 201, dual.text);
      assert.deepEqual(dual.body.spec.ipFamilies, ['IPv4', 'IPv6']);
      assert.equal(dual.body.spec.clusterIPs.length, 2);
      assert.ok(inDefaultRange(dual.body.spec.clusterIPs[0]));
      assert.match(dual.body.spec.clusterIPs[1], /^fd00:10::/);
      const v6 = await kg.request('POST', `${NS}/services`, { body: service('v6', { ipFamilies: ['IPv6'] }) });
      assert.equal(v6.status, 201, v6.text);
      assert.match(v6.body.spec.clusterIP, /^fd00:10::/);
      const single = await startKgate({ etcd: kg.etcd, prefix: '/single' });
      try {
        const refused = await single.request('POST', `${NS}/services`, { body: service('dual', { ipFamilyPolicy: 'RequireDualStack' }) });
        assert.equal(refused.status, 422);
        assert.equal(
          refused.body.message,
          'Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
        );
      } finally {
        await single.close();
      }
    } finally {
      await kg.close();
    }
  });

  it('refuses bad values with kube-apiserver’s messages', () => {
    const error = (flags: string[]) => {
      const parsed = parseOptions(flags, { defaultEtcdServers: ['http://127.0.0.1:2379'] });
      return parsed.kind === 'error' ? parsed.message : parsed.kind;
    };
    assert.equal(error(['--service-cluster-ip-range=nope']), 'service-cluster-ip-range[0] is not a valid cidr');
    assert.equal(
      error(['--service-cluster-ip-range=10.0.0.0/24,10.1.0.0/24']),
      '--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family',
    );
    assert.equal(
      error(['--service-cluster-ip-range=10.0.0.0/24,fd00::/108,10.2.0.0/24']),
      '--service-cluster-ip-range must not contain more than two entries',
    );
    assert.equal(
      error(['--service-cluster-ip-range=10.0.0.0/30']),
      'error determining service IP ranges for primary service cidr: the service cluster IP range must be at least 8 IP addresses',
    );
    assert.equal(
      error(['--service-cluster-ip-range=fd00::/108', '--advertise-address=10.1.2.3']),
      'service IP family "fd00::/108" must match public address family "10.1.2.3"',
    );
    assert.equal(
      error(['--service-node-port-range=30000-x']),
      'invalid argument "30000-x" for "--service-node-port-range" flag: strconv.Atoi: parsing "x": invalid syntax',
    );
    assert.equal(
      error(['--service-node-port-range=32000-31000']),
      'invalid argument "32000-31000" for "--service-node-port-range" flag: end port cannot be less than start port: 32000-31000',
    );
    assert.equal(error(['--advertise-address=nope']), 'invalid argument "nope" for "--advertise-address" flag: failed to parse IP: "nope"');
    assert.equal(error(['--service-cluster-ip-range=10.96.0.0/12', '--service-node-port-range=30000+100']), 'options');
  });
});
