// kube's validation_test.go tables, transcribed as requests (test/fixtures/validation/cases/), sent to kgate over
// HTTP: every case must get the reference kube-apiserver's recorded answer — the same code, the same causes in the
// same order and the same aggregate message. When the reference is built, the cases are replayed against it too,
// so an answer recorded from an older reference (or edited by hand) fails.
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { startKgate, type Kgate } from '../support/kgate.js';
import { KGATE_LIKE_REFERENCE_FLAGS, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';
import { caseFiles, compareAnswers, loadCases, replay, type ValidationCase } from '../support/validation-cases.js';

const files = caseFiles().map((file) => ({ file, data: loadCases(file) }));

function title(c: ValidationCase): string {
  const a = c.answer;
  if (!a) return `${c.name}: (no recorded answer)`;
  if (c.knownDifference) return `${c.name}: still differs (known: ${c.knownDifference.split(/[,;(]/)[0]})`;
  if (a.status < 300) return `${c.name}: is accepted`;
  return `${c.name}: ${a.status} with ${a.causes.length} cause(s)`;
}

describe("kube's validation tables: kgate answers as kube-apiserver v1.34.4 did", function () {
  this.timeout(120_000);
  let kgate: Kgate;
  before(async () => {
    // The answers were recorded from the reference with its admission flags (no ServiceAccount admission), where the
    // quota cases' ResourceQuotas never bind; kgate's would refuse later cases' creates.
    kgate = await startKgate({ flags: KGATE_LIKE_REFERENCE_FLAGS });
  });
  after(async () => {
    await kgate?.close();
  });

  for (const { file, data } of files) {
    describe(`${basename(file, '.json')} (${data.cases.length} cases)`, () => {
      for (const c of data.cases) {
        it(title(c), async () => {
          assert.ok(c.answer, `${c.name} has no recorded answer: run node dist/tools/record-validation-cases.js ${file}`);
          const got = await replay(kgate.request, c);
          const differences = compareAnswers(c, c.answer, got);
          if (c.knownDifference) assert.notDeepEqual(differences, [], `${c.name} now gets kube's answer: remove its knownDifference`);
          else assert.deepEqual(differences, []);
        });
      }
    });
  }
});

if (referenceBinary()) {
  describe('validation tables: the recorded answers are still the reference’s', function () {
    this.timeout(600_000);
    let kube: ReferenceServer;
    before(async () => {
      kube = await startReference();
    });
    after(async () => {
      await kube?.close();
    });
    for (const { file, data } of files) {
      it(`${basename(file, '.json')}: ${data.cases.length} answers replayed`, async () => {
        const stale: string[] = [];
        for (const c of data.cases) {
          const diff = compareAnswers(c, c.answer ?? { status: 0, causes: [], message: '' }, await replay(kube.request, c));
          if (diff.length) stale.push(`${c.name}\n${diff.join('\n')}`);
        }
        assert.deepEqual(stale, [], `re-record with node dist/tools/record-validation-cases.js ${file}`);
      });
    }
  });
}
