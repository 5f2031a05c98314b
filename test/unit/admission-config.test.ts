// --admission-control-config-file: the AdmissionConfiguration and PodSecurity's PodSecurityConfiguration
// (src/admission/config.ts, src/server/options/admission.ts). The messages are kube-apiserver v1.34.4's, read from
// the reference's "command failed" line for the same files.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAdmissionConfiguration, parsePodSecurityConfiguration } from '../../src/admission/config.js';
import { ADMISSION_DEFAULTS, loadAdmissionConfig } from '../../src/server/options/admission.js';

const PSA = 'pod-security.admission.config.k8s.io/v1';

function admissionYaml(podSecurity: string): string {
  return [
    'apiVersion: apiserver.config.k8s.io/v1',
    'kind: AdmissionConfiguration',
    'plugins:',
    '- name: PodSecurity',
    '  configuration:',
    `    apiVersion: ${PSA}`,
    '    kind: PodSecurityConfiguration',
    ...podSecurity.split('\n').map((line) => `    ${line}`),
  ].join('\n');
}

describe('admission configuration file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kgate-admcfg-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function load(text: string, flags: Partial<typeof ADMISSION_DEFAULTS> = {}, name = 'admission.yaml') {
    const file = join(dir, name);
    await writeFile(file, text);
    return loadAdmissionConfig({ ...ADMISSION_DEFAULTS, ...flags, admissionControlConfigFile: file });
  }

  it('reads the v1 and v1alpha1 kinds, in YAML or JSON, making paths absolute against the file', () => {
    const v1 = parseAdmissionConfiguration(
      'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: psa.yaml\n',
      '/etc/kgate',
    );
    assert.deepEqual(v1, [{ name: 'PodSecurity', path: '/etc/kgate/psa.yaml' }]);
    const alpha = parseAdmissionConfiguration(
      JSON.stringify({ apiVersion: 'apiserver.k8s.io/v1alpha1', kind: 'AdmissionConfiguration', plugins: [{ name: 'X', path: '/abs' }] }),
      '/etc',
    );
    assert.deepEqual(alpha, [{ name: 'X', path: '/abs' }]);
    // The legacy unversioned ImagePolicyWebhook file configures nothing kgate has.
    assert.deepEqual(parseAdmissionConfiguration('imagePolicy:\n  kubeConfigFile: /x\n', '/etc'), []);
  });

  it("defaults PodSecurity's levels to privileged:latest and keeps the exemptions", () => {
    const config = parsePodSecurityConfiguration({
      apiVersion: PSA,
      kind: 'PodSecurityConfiguration',
      defaults: { enforce: 'baseline', 'warn-version': 'v1.30' },
      exemptions: { namespaces: ['kube-system'], usernames: ['ops'] },
    });
    assert.equal(config.defaults.enforce.level, 'baseline');
    assert.deepEqual(config.defaults.enforce.version, { latest: true });
    assert.equal(config.defaults.warn.level, 'privileged');
    assert.deepEqual(config.defaults.warn.version, { latest: false, minor: 30n });
    assert.deepEqual(config.exemptions, { usernames: ['ops'], namespaces: ['kube-system'], runtimeClasses: [] });
  });

  it('loads PodSecurity from a path next to the file', async () => {
    await writeFile(join(dir, 'psa.yaml'), `apiVersion: ${PSA}\nkind: PodSecurityConfiguration\ndefaults:\n  audit: restricted\n`);
    const config = await load(
      'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: psa.yaml\n',
    );
    assert.equal(config.podSecurity?.defaults.audit.level, 'restricted');
    assert.ok(config.plugins.includes('PodSecurity'));
  });

  it("refuses a bad level or version with kube's configuration error", async () => {
    await assert.rejects(load(admissionYaml('defaults:\n  enforce: bogus')), {
      message:
        'failed to apply admission: failed to initialize admission plugin "PodSecurity": PodSecurity configuration error: enforce: must be one of privileged, baseline, restricted',
    });
    await assert.rejects(load(admissionYaml('defaults:\n  enforce: baseline\n  warn-version: v2')), {
      message:
        'failed to apply admission: failed to initialize admission plugin "PodSecurity": PodSecurity configuration error: warn-version: must be "latest" or "v1.x"',
    });
  });

  it("refuses invalid or repeated exemptions with kube's aggregate", async () => {
    await assert.rejects(load(admissionYaml('exemptions:\n  namespaces: ["Bad_NS", "ok", "ok"]\n  usernames: [""]')), {
      message:
        'failed to apply admission: failed to initialize admission plugin "PodSecurity": PodSecurity invalid: [exemptions.namespaces[0]: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\'), exemptions.namespaces[2]: Duplicate value: "ok", exemptions.usernames[0]: Invalid value: "": username must not be empty]',
    });
  });

  it('refuses a configuration of the wrong kind, and a file that is no AdmissionConfiguration', async () => {
    await assert.rejects(load(admissionYaml('').replace('kind: PodSecurityConfiguration', 'kind: Nope')), {
      message: `failed to apply admission: couldn't init admission plugin "PodSecurity": no kind "Nope" is registered for version "${PSA}" in scheme "pkg/runtime/scheme.go:110"`,
    });
    await assert.rejects(load('apiVersion: v1\nkind: Foo\n'), {
      message:
        'failed to apply admission: failed to read plugin config: no kind "Foo" is registered for version "v1" in scheme "pkg/runtime/scheme.go:110"',
    });
  });

  it('refuses a missing or malformed file with "failed to read plugin config"', async () => {
    const missing = join(dir, 'missing.yaml');
    await assert.rejects(loadAdmissionConfig({ ...ADMISSION_DEFAULTS, admissionControlConfigFile: missing }), {
      message: `failed to apply admission: failed to read plugin config: unable to read admission control configuration from "${missing}" [open ${missing}: no such file or directory]`,
    });
    await assert.rejects(
      load('apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: [ {name: x\n'),
      (error: Error) => error.message.startsWith('failed to apply admission: failed to read plugin config: '),
    );
  });

  it('ignores the configuration of a disabled plugin and of plugins kgate lacks', async () => {
    const text = `${admissionYaml('defaults:\n  enforce: bogus')}\n- name: ImagePolicyWebhook\n  configuration: {garbage: 1}\n`;
    const config = await load(text, { disableAdmissionPlugins: ['PodSecurity'] });
    assert.equal(config.podSecurity, undefined);
    assert.ok(!config.plugins.includes('PodSecurity'));
  });
});
