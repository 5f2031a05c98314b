// `make conformance` (scripts/conformance.sh runs this): the node-free part of the official e2e suite, built by
// `make reference`, run first against the reference kube-apiserver and then against kgate (`node dist/src/main.js`
// as `make run` starts it), each over its own fresh etcd. selection.txt says what runs and why the rest does not.
// Prints one line per test (`both pass`, `kgate fails`, `reference fails`), then `N passed, N failed` counting only
// tests that pass on the reference. Exits non-zero when kgate fails any of those.
//
// Not a mocha file: it is a long tool run, not a unit of `make test`.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEtcd } from '../support/etcd.js';
import { freePort } from '../support/ports.js';
import { HOW_TO_BUILD, referenceBinary, startReference } from '../support/reference.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SELECTION = join(REPO_ROOT, 'test/conformance/selection.txt');

interface Selection {
  focus: string[];
  skip: Array<{ pattern: string; reason: string }>;
}

/** `focus <regex>` and `skip <regex>  # <reason>` lines; a skip without a reason is an error. */
export function parseSelection(text: string): Selection {
  const out: Selection = { focus: [], skip: [] };
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const match = /^(focus|skip)\s+(.+?)(?:\s{2,}#\s*(.*))?$/.exec(line);
    if (!match) throw new Error(`${SELECTION}:${index + 1}: expected "focus <regex>" or "skip <regex>  # <reason>"`);
    const [, kind, pattern, reason] = match;
    if (kind === 'focus') out.focus.push(pattern!);
    else if (!reason?.trim()) throw new Error(`${SELECTION}:${index + 1}: skip without a reason`);
    else out.skip.push({ pattern: pattern!, reason: reason.trim() });
  });
  if (out.focus.length === 0) throw new Error(`${SELECTION}: no focus line`);
  return out;
}

type Outcome = 'passed' | 'failed' | 'skipped';
interface Result {
  outcome: Outcome;
  message: string;
}

/** Ginkgo's JSON report: one suite, one entry per spec. */
async function readReport(path: string): Promise<Map<string, Result>> {
  const suites = JSON.parse(await readFile(path, 'utf8')) as Array<{
    SpecReports?: Array<{
      LeafNodeType: string;
      LeafNodeText: string;
      ContainerHierarchyTexts?: string[];
      State: string;
      Failure?: { Message?: string };
    }>;
  }>;
  const out = new Map<string, Result>();
  for (const suite of suites) {
    for (const spec of suite.SpecReports ?? []) {
      if (spec.LeafNodeType !== 'It') continue;
      const name = [...(spec.ContainerHierarchyTexts ?? []), spec.LeafNodeText].join(' ');
      const outcome: Outcome =
        spec.State === 'passed' ? 'passed' : spec.State === 'skipped' || spec.State === 'pending' ? 'skipped' : 'failed';
      // A selected test that ginkgo skipped was not reached before --ginkgo.timeout ended the suite.
      const message =
        spec.State === 'passed'
          ? ''
          : spec.State === 'skipped'
            ? 'not run: the suite timeout came first'
            : `${spec.State}: ${(spec.Failure?.Message ?? '').split('\n').find((l) => l.trim() !== '') ?? ''}`;
      out.set(name, { outcome, message });
    }
  }
  return out;
}

const e2eTimeout = process.env.KGATE_CONFORMANCE_TIMEOUT ?? '14m';

function runE2e(binary: string, kubeconfig: string, selection: Selection, reportDir: string, label: string): Promise<number> {
  const args = [
    `--kubeconfig=${kubeconfig}`,
    '--provider=skeleton',
    `--ginkgo.focus=${selection.focus.join('|')}`,
    ...(selection.skip.length > 0 ? [`--ginkgo.skip=${selection.skip.map((s) => s.pattern).join('|')}`] : []),
    `--ginkgo.timeout=${e2eTimeout}`,
    // One order for both servers, so a test cut off by the timeout on one is not a different test on the other.
    '--ginkgo.seed=1',
    `--ginkgo.json-report=${join(reportDir, 'report.json')}`,
    '--ginkgo.no-color',
    // No nodes, no kubelet, no controller-manager: do not wait for any of them before the suite starts.
    '--allowed-not-ready-nodes=-1',
    '--num-nodes=0',
    '--e2e-verify-service-account=false',
    '--dump-logs-on-failure=false',
    '--disable-log-dump',
    // kubectl of the same version as the suite; the one on PATH may be any version.
    `--kubectl-path=${referenceBinary('kubectl') ?? 'kubectl'}`,
    `--report-dir=${reportDir}`,
    `--e2e-output-dir=${reportDir}`,
  ];
  process.stdout.write(`conformance: running e2e.test against ${label} (bounded by --ginkgo.timeout=${e2eTimeout})\n`);
  // Straight to a file, so a long run can be followed with tail -f.
  const logFd = openSync(join(reportDir, 'e2e.log'), 'w');
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * e2e.test reads default/kubernetes before any test (getDefaultClusterIPFamily) and fails the whole suite without
 * it. kube-apiserver's kubernetesservice controller creates it at start; kgate does not (yet), so the run creates
 * it, says so, and the difference stays visible here instead of hiding every other result.
 */
async function ensureKubernetesService(port: number, agent: https.Agent, token: string): Promise<void> {
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<number>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = https.request(
        `https://127.0.0.1:${port}${path}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  if ((await call('GET', '/api/v1/namespaces/default/services/kubernetes')) === 200) return;
  const status = await call('POST', '/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: '10.0.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }] },
  });
  process.stdout.write(
    `conformance: kgate serves no default/kubernetes Service (kube-apiserver creates one at start); created it for the suite (${status})\n`,
  );
}

/** kgate as `make run` starts it: dev-setup writes the PKI, token file and kubeconfig, then the server itself. */
async function startKgateProcess(etcdEndpoint: string, home: string): Promise<{ kubeconfig: string; stop(): Promise<void> }> {
  const port = await freePort();
  const main = join(REPO_ROOT, 'dist/src/main.js');
  await new Promise<void>((resolve, reject) => {
    const setup = spawn(process.execPath, [main, 'dev-setup', home, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
    setup.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kgate dev-setup exited ${code}`))));
  });
  const logFd = openSync(join(home, 'kgate.log'), 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      main,
      `--secure-port=${port}`,
      '--bind-address=127.0.0.1',
      `--tls-cert-file=${join(home, 'pki/apiserver.crt')}`,
      `--tls-private-key-file=${join(home, 'pki/apiserver.key')}`,
      `--token-auth-file=${join(home, 'tokens.csv')}`,
      `--etcd-servers=${etcdEndpoint}`,
    ],
    { stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  let exited = false;
  child.once('exit', () => (exited = true));
  const ca = await readFile(join(home, 'pki/ca.crt'), 'utf8');
  const agent = new https.Agent({ ca });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`kgate exited before it was ready; see ${join(home, 'kgate.log')}`);
    const status = await new Promise<number>((resolve) => {
      const req = https.get(`https://127.0.0.1:${port}/readyz`, { agent }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
    });
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`kgate on port ${port} not ready within 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await ensureKubernetesService(port, agent, (await readFile(join(home, 'tokens.csv'), 'utf8')).split(',')[0]!.trim());
  agent.destroy();
  return {
    kubeconfig: join(home, 'kubeconfig'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function main(): Promise<number> {
  const e2e = referenceBinary('e2e.test');
  if (!e2e || !referenceBinary('kube-apiserver')) {
    process.stderr.write(`conformance: e2e.test or kube-apiserver is not built; ${HOW_TO_BUILD}\n`);
    return 2;
  }
  const selection = parseSelection(await readFile(SELECTION, 'utf8'));
  const work = process.env.KGATE_CONFORMANCE_DIR ?? (await mkdtemp(join(tmpdir(), 'kgate-conformance-')));
  await mkdir(join(work, 'reference'), { recursive: true });
  await mkdir(join(work, 'kgate'), { recursive: true });
  await mkdir(join(work, 'kgate-home'), { recursive: true });
  process.stdout.write(`conformance: reports and logs in ${work}\n`);

  // One server at a time: two cores cannot run both servers, two etcds and the suite without timeouts.
  const reference = await startReference();
  const referenceStarted = Date.now();
  try {
    await runE2e(e2e, reference.kubeconfig, selection, join(work, 'reference'), 'the reference kube-apiserver');
  } finally {
    await reference.close();
  }
  const referenceSeconds = Math.round((Date.now() - referenceStarted) / 1000);

  const etcd = await startEtcd();
  const kgate = await startKgateProcess(etcd.endpoint, join(work, 'kgate-home'));
  const kgateStarted = Date.now();
  try {
    await runE2e(e2e, kgate.kubeconfig, selection, join(work, 'kgate'), 'kgate');
  } finally {
    await kgate.stop();
    await etcd.stop();
  }
  const kgateSeconds = Math.round((Date.now() - kgateStarted) / 1000);

  const kube = await readReport(join(work, 'reference', 'report.json'));
  const ours = await readReport(join(work, 'kgate', 'report.json')).catch(() => new Map<string, Result>());
  let passed = 0;
  let failed = 0;
  let notRun = 0;
  const names = [...kube.keys()].filter((name) => kube.get(name)!.outcome !== 'skipped').sort();
  for (const name of names) {
    const k = kube.get(name)!;
    const g = ours.get(name) ?? { outcome: 'failed' as const, message: 'not run on kgate (suite ended first)' };
    if (k.outcome !== 'passed') {
      process.stdout.write(`reference fails: ${name}\n    ${k.message}\n`);
      continue;
    }
    if (g.outcome === 'passed') {
      passed++;
      process.stdout.write(`both pass: ${name}\n`);
    } else {
      failed++;
      if (g.outcome === 'skipped') notRun++;
      process.stdout.write(`kgate fails: ${name}\n    ${g.message}\n`);
    }
  }
  process.stdout.write(
    `conformance: e2e.test took ${referenceSeconds}s on the reference, ${kgateSeconds}s on kgate; ${names.length} tests ran on the reference; ${notRun} of kgate's failures were not reached before the timeout\n`,
  );
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`conformance: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
