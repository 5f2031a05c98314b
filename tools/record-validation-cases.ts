// Records the reference kube-apiserver's answer for every case in test/fixtures/validation/cases/*.json (or the
// files named): starts the server `make reference` built, replays each case as test/support/validation-cases.ts
// does, and writes the answers back into the files. The inputs are transcribed by hand from kube's
// validation_test.go tables; the answers are only ever written by this tool.
// Usage: node dist/tools/record-validation-cases.js [file.json ...]
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startReference } from '../test/support/reference.js';
import { caseFiles, loadCases, replay } from '../test/support/validation-cases.js';

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : caseFiles();
const kube = await startReference();
try {
  for (const file of files) {
    const data = loadCases(file);
    const seen = new Set<string>();
    for (const c of data.cases) {
      if (seen.has(c.name)) throw new Error(`${file}: duplicate case name ${c.name}`);
      seen.add(c.name);
      c.answer = await replay(kube.request, c);
    }
    writeFileSync(file, `${JSON.stringify(data, null, 1)}\n`);
    const refused = data.cases.filter((c) => c.answer!.status >= 400).length;
    console.log(`${file}: ${data.cases.length} cases, ${refused} refused`);
  }
} finally {
  await kube.close();
}
