// Mocha concatenates a config `spec` with the files named on the command line, so the default glob applies only
// when none are named: `npx mocha dist/test/unit/x.test.js` then runs just that file.
'use strict';

const { existsSync } = require('node:fs');

const namesSpecs = process.argv.slice(2).some((arg) => !arg.startsWith('-') && /\.test\.[cm]?js$|\/$|^dist\//.test(arg));

module.exports = {
  ...(namesSpecs ? {} : { spec: ['dist/test/**/*.test.js'] }),
  // Root hooks that stop every etcd the integration suites started (when compiled).
  ...(existsSync('dist/test/support/etcd.js') ? { require: ['dist/test/support/etcd.js'] } : {}),
  reporter: './test/support/summary-reporter.cjs',
  timeout: 60000,
  slow: 2000,
  exit: true,
};
