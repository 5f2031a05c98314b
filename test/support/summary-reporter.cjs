// Mocha reporter: the `spec` output, then `N passed, N failed` as the very last line, which CI reads.
// CommonJS so mocha can load it by path (`reporter` in .mocharc.cjs).
// scripts/test.sh sets KGATE_TYPECHECK_FAILED=1 when tsc reported errors; that counts as one more failure so the
// summary never reads "0 failed" for a tree that does not compile.
'use strict';

const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    // Registered after Spec's own end listener, so the line follows its epilogue and failure list.
    runner.once(EVENT_RUN_END, () => {
      const stats = runner.stats || {};
      const typecheckFailures = process.env.KGATE_TYPECHECK_FAILED === '1' ? 1 : 0;
      if (typecheckFailures) process.stdout.write('  tsc reported type errors (see the top of the output)\n\n');
      const failed = (stats.failures || 0) + typecheckFailures;
      process.stdout.write(`${stats.passes || 0} passed, ${failed} failed\n`);
    });
  }
}

SummaryReporter.description = 'spec, then a final "N passed, N failed" line';

module.exports = SummaryReporter;
