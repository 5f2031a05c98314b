// `make bench`'s stdout (bench/report.ts): the three-way line `kgate= kube= etcd= ratio_kube= ratio_etcd= target=`
// judged against kube-apiserver when it runs, against each figure's own target when it does not, the CPU line and
// the closing count. No upstream file: the format is issue 8's.
import assert from 'node:assert/strict';
import { atLeast, atMost, budget, printSummary, report, reportCpu, setPeer, type Figure } from '../../bench/report.js';

/** The stdout lines one call printed (stderr notes are left out). */
function stdoutOf(run: () => void): string[] {
  const lines: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (line: string) => void lines.push(line);
  console.error = () => undefined;
  try {
    run();
  } finally {
    console.log = log;
    console.error = error;
  }
  return lines;
}

const line = (figure: Figure): string => stdoutOf(() => report(figure)).join('\n');

describe('bench report lines', () => {
  after(() => setPeer(false));

  describe('with the reference kube-apiserver measured', () => {
    before(() => setPeer(true));

    it('prints both ratios and judges throughput as ok when kgate is at least as fast as kube', () => {
      assert.equal(
        line({ name: 'gets_c64_per_s', kgate: 2476, kube: 1640, etcd: 3162, target: atLeast(2.5) }),
        'bench: gets_c64_per_s kgate=2476 kube=1640 etcd=3162 ratio_kube=1.51 ratio_etcd=0.78 target=ratio_kube>=1.00 ok',
      );
    });

    it('judges a latency as short when kgate takes longer than kube, whatever its etcd target says', () => {
      assert.equal(
        line({ name: 'list_10k_ms', kgate: 900, kube: 800, etcd: 1000, target: atMost(2) }),
        'bench: list_10k_ms kgate=900 kube=800 etcd=1000 ratio_kube=1.13 ratio_etcd=0.90 target=ratio_kube<=1.00 short',
      );
    });

    it('judges memory against kube even when kube used none, and shows no ratio then', () => {
      assert.equal(
        line({ name: 'idle_watchers_1000_rss_mb', kgate: 5, kube: -1, target: budget(50) }),
        'bench: idle_watchers_1000_rss_mb kgate=5.00 kube=-1.00 etcd=- ratio_kube=n/a ratio_etcd=- target=ratio_kube<=1.00 short',
      );
    });

    it('prints kube=n/a and short when the kube side has no value', () => {
      assert.match(line({ name: 'creates_c64_per_s', kgate: 600, etcd: 1700, target: atLeast(0.8) }), / kube=n\/a .* short$/);
    });
  });

  describe('without the reference', () => {
    before(() => setPeer(false));

    it('prints kube=- and judges a ratio target against raw etcd', () => {
      assert.equal(
        line({ name: 'creates_c64_per_s', kgate: 1500, kube: 10, etcd: 1700, target: atLeast(0.8) }),
        'bench: creates_c64_per_s kgate=1500 kube=- etcd=1700 ratio_kube=- ratio_etcd=0.88 target=ratio_etcd>=0.80 ok',
      );
    });

    it('judges an absolute budget on kgate alone', () => {
      assert.equal(
        line({ name: 'readyz_empty_ms', kgate: 1200, target: budget(1000) }),
        'bench: readyz_empty_ms kgate=1200 kube=- etcd=- ratio_kube=- ratio_etcd=- target=<=1000 short',
      );
    });
  });

  describe('after the figures', () => {
    it('prints the CPU seconds of each process on a line of its own after the figure', () => {
      assert.deepEqual(
        stdoutOf(() => report({ name: 'gets_c64_per_s', kgate: 1, target: budget(2), cpu: { kgate: 1.234, kube_etcd: undefined } })),
        [
          'bench: gets_c64_per_s kgate=1.00 kube=- etcd=- ratio_kube=- ratio_etcd=- target=<=2.00 ok',
          'bench: cpu gets_c64_per_s cpu_kgate=1.23 cpu_kube_etcd=n/a',
        ],
      );
      assert.deepEqual(
        stdoutOf(() => reportCpu('x', { etcd: 0.5 })),
        ['bench: cpu x cpu_etcd=0.50'],
      );
    });

    it('ends with the count of ok and short figures printed so far', () => {
      assert.deepEqual(
        stdoutOf(() => printSummary(1)),
        ['bench: 3 ok, 4 short'],
      );
    });
  });
});
