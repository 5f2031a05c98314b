// The official Python client (Debian's python3-kubernetes) against kgate. It spells booleans the Python way
// (`watch=True`), which kube's parameter codec reads as true: a watch from a resourceVersion sees every event after it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startKgate, type Kgate } from '../support/kgate.js';

const execFileAsync = promisify(execFile);
// Debian's interpreter: python3-kubernetes lives in its dist-packages (`make deps` installs it).
const PYTHON = '/usr/bin/python3';

describe('python3-kubernetes client', function () {
  this.timeout(120_000);
  let kg: Kgate;
  let home: string;
  before(async () => {
    kg = await startKgate();
    home = await mkdtemp(join(tmpdir(), 'kgate-python-'));
    await kg.kubectl(['create', 'namespace', 'py-watch']);
  });
  after(async () => {
    await kg?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('watch.Watch().stream(..., resource_version=rv, timeout_seconds=5) sees every event after rv, in order', async () => {
    const { stdout } = await execFileAsync(PYTHON, ['test/fixtures/python/watch_from_rv.py', 'py-watch'], {
      env: { ...process.env, KUBECONFIG: kg.kubeconfig, HOME: home, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 90_000,
    });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    assert.match(out.rv, /^\d+$/);
    assert.deepEqual(out.events, [
      { type: 'ADDED', name: 'second', data: { n: '2' } },
      { type: 'MODIFIED', name: 'first', data: { n: '10' } },
      { type: 'DELETED', name: 'second', data: { n: '2' } },
    ]);
  });
});
