'use strict';
// Tests run from compiled output: LoopBack needs tsc's decorator metadata.
module.exports = {
  // TEST_FILES narrows a local run (e.g. TEST_FILES='dist/src/__tests__/unit/**/*.js'); CI runs everything.
  spec: process.env.TEST_FILES
    ? process.env.TEST_FILES.split(',')
    : [
        'dist/src/__tests__/unit/**/*.unit.js',
        'dist/src/__tests__/integration/**/*.integration.js',
        'dist/src/__tests__/acceptance/**/*.acceptance.js',
      ],
  require: ['dist/src/__tests__/support/root-hooks.js'],
  reporter: 'dist/src/__tests__/support/summary-reporter.js',
  timeout: 20000,
  exit: true,
  'forbid-only': Boolean(process.env.CI),
};
