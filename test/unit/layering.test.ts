// The import table of ARCHITECTURE.md is enforced by dependency-cruiser (.dependency-cruiser.cjs, run by
// `make lint`). These tests show the rules pass on the tree and fail on a deliberately upward import and on a
// cycle, so a rule that silently stopped matching would be noticed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

async function cruise(cwd: string): Promise<Violation[]> {
  // depcruise exits non-zero when it finds errors; the JSON report is printed either way.
  const run = await execFileAsync(DEPCRUISE, ['src', '--config', CONFIG, '--output-type', 'json'], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('layering rules (dependency-cruiser)', function () {
  this.timeout(120_000);

  it('the tree keeps the import table and has no cycles', async () => {
    const violations = await cruise(ROOT);
    assert.deepEqual(
      violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
      [],
    );
  });

  describe('on a tree with deliberate mistakes', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kgate-layering-'));
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
        'src/server/app.ts': 'export const app = 1;\n',
        // registry reaching up into server/
        'src/registry/store.ts': "import { app } from '../server/app.js';\nexport const store = app;\n",
        // a cycle inside one layer
        'src/scheme/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'src/scheme/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
        // apimachinery must import nothing else in src
        'src/apimachinery/errors.ts': "import { a } from '../scheme/a.js';\nexport const e = a;\n",
      };
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
    });
    after(async () => rm(dir, { recursive: true, force: true }));

    it('reports the upward import, the cycle and the impure apimachinery import', async () => {
      const found = (await cruise(dir)).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
      assert.ok(found.includes('registry-below-endpoints: src/registry/store.ts → src/server/app.ts'), found.join('\n'));
      assert.ok(found.includes('apimachinery-is-pure: src/apimachinery/errors.ts → src/scheme/a.ts'), found.join('\n'));
      assert.ok(
        found.some((f) => f.startsWith('no-circular: src/scheme/')),
        found.join('\n'),
      );
    });
  });
});
