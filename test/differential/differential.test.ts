// Differential tests: the same scripted requests (script.ts) go to kgate and to the real kube-apiserver that
// `make reference` builds, each over its own etcd, and every answer must match after normalisation (compare.ts):
// status code, content type, Warning header, Status reason and message, and body. A mismatch fails its step
// unless allow-list.json lists that step and aspect with a reason; an entry whose mismatch is gone fails too, so
// the list only shrinks. Without the reference binary the suite registers nothing and says how to build it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';
import { differences, differingPaths, normalise, type Aspect } from './compare.js';
import { steps, type Context, type Observation, type Server } from './script.js';

interface AllowEntry {
  step: string;
  aspects: Aspect[];
  reason: string;
}

/** An allow-list entry for this step name applies to every step (a difference in how all bodies are written). */
const EVERY_STEP = '*';
const ALLOW_LIST = fileURLToPath(new URL('../../../test/differential/allow-list.json', import.meta.url));

function loadAllowList(): Map<string, AllowEntry> {
  const entries = (JSON.parse(readFileSync(ALLOW_LIST, 'utf8')) as { entries: AllowEntry[] }).entries;
  const byStep = new Map<string, AllowEntry>();
  for (const entry of entries) {
    if (!entry.reason?.trim()) throw new Error(`allow-list entry for "${entry.step}" has no reason`);
    if (entry.step !== EVERY_STEP && !steps.some((s) => s.name === entry.step))
      throw new Error(`allow-list entry names no step: "${entry.step}"`);
    if (byStep.has(entry.step)) throw new Error(`allow-list has two entries for "${entry.step}"`);
    byStep.set(entry.step, entry);
  }
  return byStep;
}

async function replay(server: Server): Promise<Observation[]> {
  const ctx: Context = new Map();
  const out: Observation[] = [];
  for (const step of steps) {
    try {
      out.push(await step.run(server, ctx));
    } catch (err) {
      // A step that throws (a watch that never delivers) is itself an observation to compare.
      out.push({ status: -1, body: `step failed: ${(err as Error).message}` });
    }
  }
  return out;
}

const describeDifference = (aspect: Aspect, kgate: unknown, kube: unknown) =>
  `${aspect}:\n${differingPaths(normalise(kgate), normalise(kube))
    .map((line) => `  ${line}`)
    .join('\n')}`;

if (!referenceBinary()) {
  console.log(`differential tests skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: kgate answers as kube-apiserver does', function () {
    this.timeout(600_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    const allow = loadAllowList();
    let kgateSeen: Observation[] = [];
    let kubeSeen: Observation[] = [];

    before(async function () {
      [kube, kgate] = await Promise.all([startReference(), startKgate({ flags: REFERENCE_ADMISSION_FLAGS })]);
      // One after the other: the two servers share two cores, and watch deadlines should not race each other.
      kubeSeen = await replay(kube);
      kgateSeen = await replay(kgate);
      const dump = process.env.KGATE_DIFFERENTIAL_DUMP;
      if (dump) {
        const rows = steps.map((s, i) => {
          const diff = differences(kgateSeen[i]!, kubeSeen[i]!);
          return {
            step: s.name,
            differ: [...diff].map(([aspect, d]) => describeDifference(aspect, d.kgate, d.kube)),
            kgate: kgateSeen[i],
            kube: kubeSeen[i],
          };
        });
        writeFileSync(dump, JSON.stringify(rows, null, 1));
      }
    });
    after(async function () {
      await Promise.all([kgate?.close(), kube?.close()]);
    });

    steps.forEach((step, index) => {
      it(step.name, function () {
        const diff = differences(kgateSeen[index]!, kubeSeen[index]!);
        const entry = allow.get(step.name);
        const allowed = new Set([...(entry?.aspects ?? []), ...(allow.get(EVERY_STEP)?.aspects ?? [])]);
        const unexpected = [...diff].filter(([aspect]) => !allowed.has(aspect));
        const healed = (entry?.aspects ?? []).filter((aspect) => !diff.has(aspect));
        const lines = unexpected.map(([aspect, { kgate: a, kube: b }]) => describeDifference(aspect, a, b));
        if (healed.length > 0) lines.push(`allow-list entry no longer needed for: ${healed.join(', ')} (remove it from ${ALLOW_LIST})`);
        assert.ok(lines.length === 0, `kgate differs from kube-apiserver:\n${lines.join('\n')}`);
      });
    });

    it('every allow-list entry for all steps still excuses a difference somewhere', function () {
      const everywhere = allow.get(EVERY_STEP)?.aspects ?? [];
      const seen = new Set(steps.flatMap((_, i) => [...differences(kgateSeen[i]!, kubeSeen[i]!).keys()]));
      const healed = everywhere.filter((aspect) => !seen.has(aspect));
      assert.deepEqual(
        healed,
        [],
        `no step differs in ${healed.join(', ')} any more: remove it from the "${EVERY_STEP}" entry in ${ALLOW_LIST}`,
      );
    });
  });
}
