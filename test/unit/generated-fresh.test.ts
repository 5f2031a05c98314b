// The staleness check: src/generated/ must be exactly what `make generate` writes today.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../../tools/client-node-models.js';
import { generate } from '../../tools/generate.js';

describe('src/generated', function () {
  this.timeout(60_000);
  let outDir: string;

  before(() => {
    outDir = mkdtempSync(join(tmpdir(), 'kgate-generated-'));
  });

  after(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('is what `make generate` writes (run `make generate` if this fails)', () => {
    const result = generate(outDir);
    const committedDir = join(findRepoRoot(), 'src/generated');
    const committed = readdirSync(committedDir)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    assert.deepEqual(committed, [...result.files].sort(), 'generated file list differs');
    for (const file of result.files) {
      const fresh = readFileSync(join(outDir, file), 'utf8');
      const current = readFileSync(join(committedDir, file), 'utf8');
      assert.ok(fresh === current, `src/generated/${file} is stale: run \`make generate\``);
    }
  });

  it('covers every kind of tools/facts/kinds-v1.34.json', () => {
    const result = generate(outDir);
    assert.deepEqual(result.skipped, []);
    assert.ok(result.kinds >= 46, `only ${result.kinds} kinds generated`);
  });
});
