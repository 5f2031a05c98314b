// The pinned real clients (kubectl v1.34.5 and helm v4.1.4 from the lockfile, see test/support/clients.ts)
// against a real kgate: they are the versions the suite claims, and Helm 4's install, upgrade and uninstall of a
// small local chart store, change and remove real objects (Helm 4 applies server-side with strict validation).
import assert from 'node:assert/strict';
import { HELM_VERSION, KUBECTL_VERSION } from '../support/clients.js';
import { startKgate, type Kgate } from '../support/kgate.js';

const CHART = 'test/fixtures/charts/hello';

describe('pinned clients', function () {
  this.timeout(180_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate();
    await kg.kubectl(['create', 'namespace', 'helm-clients']);
  });
  after(async () => kg?.close());

  it('kubectl version prints the pinned client beside kgate v1.34', async () => {
    const { stdout } = await kg.kubectl(['version']);
    assert.match(stdout, new RegExp(`^Client Version: ${KUBECTL_VERSION.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(stdout, /^Server Version: v1\.34\.\d+\+kgate$/m);
    assert.doesNotMatch(stdout, /WARNING: version difference/);
  });

  it('helm version prints the pinned Helm 4', async () => {
    const { stdout } = await kg.helm(['version', '--template', '{{.Version}}']);
    assert.equal(stdout.trim(), HELM_VERSION);
  });

  it('helm install, upgrade and uninstall store, change and remove the chart objects', async () => {
    const ns = ['-n', 'helm-clients'];
    const install = await kg.helm(['install', 'greet', CHART, ...ns, '--set', 'greeting=hi']);
    assert.match(install.stdout, /^STATUS: deployed$/m);
    assert.match(install.stdout, /^REVISION: 1$/m);
    const cm = await kg.request('GET', '/api/v1/namespaces/helm-clients/configmaps/greet-settings');
    assert.equal(cm.status, 200);
    assert.equal(cm.body.data.greeting, 'hi');
    assert.equal(cm.body.metadata.labels['app.kubernetes.io/instance'], 'greet');
    // Helm 4 applies server-side under its own field manager.
    assert.ok(
      cm.body.metadata.managedFields.some((e: any) => e.manager === 'helm' && e.operation === 'Apply'),
      JSON.stringify(cm.body.metadata.managedFields),
    );
    const dep = await kg.request('GET', '/apis/apps/v1/namespaces/helm-clients/deployments/greet-web');
    assert.equal(dep.status, 200);

    const list = await kg.helm(['list', ...ns]);
    assert.match(list.stdout, /^greet\s+helm-clients\s+1\s+.*\sdeployed\s+hello-0\.1\.0\s+1\.0\s*$/m);

    const upgrade = await kg.helm(['upgrade', 'greet', CHART, ...ns, '--set', 'greeting=hey']);
    assert.match(upgrade.stdout, /^REVISION: 2$/m);
    const { stdout: greeting } = await kg.kubectl(['get', 'configmap', 'greet-settings', ...ns, '-o', 'jsonpath={.data.greeting}']);
    assert.equal(greeting, 'hey');
    // Release history lives in Secrets, as Helm's default storage driver keeps it.
    const secrets = await kg.request('GET', '/api/v1/namespaces/helm-clients/secrets?labelSelector=owner%3Dhelm,name%3Dgreet');
    assert.deepEqual(secrets.body.items.map((s: any) => s.metadata.name).sort(), [
      'sh.helm.release.v1.greet.v1',
      'sh.helm.release.v1.greet.v2',
    ]);

    const uninstall = await kg.helm(['uninstall', 'greet', ...ns]);
    assert.match(uninstall.stdout, /release "greet" uninstalled/);
    assert.equal((await kg.request('GET', '/api/v1/namespaces/helm-clients/configmaps/greet-settings')).status, 404);
    assert.equal((await kg.request('GET', '/apis/apps/v1/namespaces/helm-clients/deployments/greet-web')).status, 404);
  });
});
