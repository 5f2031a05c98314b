// --admission-control-config-file beside the reference kube-apiserver: both start with the same file (PodSecurity
// enforcing baseline by default, audit restricted at v1.30, one namespace exempt). Pods in unlabelled, exempt and
// labelled namespaces must get the same status codes and Warning headers, and a refusal's body byte for byte.
// Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpResponse } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults:
      enforce: baseline
      audit: restricted
      audit-version: v1.30
      warn: restricted
    exemptions:
      namespaces: [exempt]
      usernames: [nobody-here]
`;

const PS = 'pod-security.kubernetes.io';
const namespace = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const pod = (name: string, container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', ...container }], ...spec },
});
const PRIVILEGED = { securityContext: { privileged: true } };

const SETUP = [
  namespace('plain'),
  namespace('exempt'),
  namespace('open', { [`${PS}/enforce`]: 'privileged' }),
  namespace('strict', { [`${PS}/enforce`]: 'restricted' }),
];

const STEPS: { title: string; ns: string; body: object; warns?: boolean; refused?: boolean }[] = [
  {
    title: 'a privileged pod in an unlabelled namespace is refused by the default baseline',
    ns: 'plain',
    body: pod('priv', PRIVILEGED),
    refused: true,
  },
  { title: 'a host-network pod in an unlabelled namespace is refused', ns: 'plain', body: pod('hostnet', {}, { hostNetwork: true }) },
  { title: 'a plain pod in an unlabelled namespace is created with the default warn level', ns: 'plain', body: pod('plain'), warns: true },
  { title: 'the exempt namespace takes a privileged pod', ns: 'exempt', body: pod('priv', PRIVILEGED) },
  { title: 'an enforce=privileged label overrides the default', ns: 'open', body: pod('priv', PRIVILEGED) },
  { title: 'an enforce=restricted label is stricter than the default', ns: 'strict', body: pod('plain') },
];

function summary(res: HttpResponse) {
  return { status: res.status, warning: res.headers.warning, ...(res.status >= 300 && { body: res.text }) };
}

if (!referenceBinary()) {
  console.log(`admission configuration differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: --admission-control-config-file as kube-apiserver reads it', function () {
    this.timeout(300_000);
    let dir: string | undefined;
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kgate-admcfg-diff-'));
      const file = join(dir, 'admission.yaml');
      await writeFile(file, CONFIG);
      const flag = `--admission-control-config-file=${file}`;
      [kube, kgate] = await Promise.all([
        startReference({ extraArgs: ['--allow-privileged=true', flag] }),
        startKgate({ flags: [...REFERENCE_ADMISSION_FLAGS, flag] }),
      ]);
      for (const ns of SETUP) {
        for (const server of [kube, kgate]) {
          const res: HttpResponse = await server.request('POST', '/api/v1/namespaces', { body: ns });
          assert.equal(res.status, 201, res.text);
        }
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    for (const step of STEPS) {
      it(step.title, async () => {
        const path = `/api/v1/namespaces/${step.ns}/pods`;
        const want = summary(await kube!.request('POST', path, { body: step.body }));
        const got = summary(await kgate!.request('POST', path, { body: step.body }));
        assert.deepEqual(got, want);
        // The file's settings took effect on the reference too (otherwise both would merely agree on kube's default).
        if (step.warns) assert.ok(want.warning, 'the default warn level warns');
        if (step.refused) assert.equal(want.status, 403);
      });
    }
    it('the refusal is the one the integration test expects', async () => {
      const res = await kube!.request('POST', '/api/v1/namespaces/plain/pods', { body: pod('again', PRIVILEGED) });
      assert.equal(res.status, 403);
      assert.match(res.text, /violates PodSecurity \\?"baseline:latest\\?": privileged/);
    });
  });
}
