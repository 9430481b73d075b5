module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The conformance suite's table-driven cases assert in their runner.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'suite.expectConformance'] },
    ],
  },
});
