#!/usr/bin/env node
// Adds up the counts of every test runner the test command ran (Jest's JSON
// report, node:test's TAP file) into the one closing line CI reads. A missing
// report counts as a failure: a runner that crashed must not look green.
'use strict';
const fs = require('fs');

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    console.error(`no test report at ${file}`);
    failed += 1;
    continue;
  }
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    const report = JSON.parse(text);
    passed += report.numPassedTests;
    failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
    skipped += report.numPendingTests + report.numTodoTests;
  } else {
    const count = name =>
      Number((text.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
    passed += count('pass');
    failed += count('fail') + count('cancelled');
    skipped += count('skipped') + count('todo');
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
