// The ESLint setup of every plugin: Backstage's, plus the rules of this
// repository that apply to all of them.
const factory = require('@backstage/cli/config/eslint-factory');

const restrictedSrcSyntax = [
  {
    // `push(...items)`, `Math.max(...values)`: each element becomes an
    // argument, and about 100,000 of them overflow the call stack. Rendered
    // manifests, list pages and conditions have no fixed bound.
    selector: 'CallExpression > SpreadElement, NewExpression > SpreadElement',
    message:
      'Do not spread an array into a call: a large one overflows the call stack. Use a loop, flatMap or reduce.',
  },
];

module.exports = dir =>
  factory(dir, {
    restrictedSrcSyntax,
    rules: {
      // The fuzz helpers assert that only typed errors are thrown.
      'jest/expect-expect': [
        'warn',
        {
          assertFunctionNames: [
            'expect',
            'throwsOnly',
            'rejectsOnly',
            'expectNo5xx',
          ],
        },
      ],
    },
  });
