// A reporter for Node's test runner that writes one line per test file cut off by --test-timeout
// (its path) and one line per other failure ("failed <file>"). scripts/run-tests.mjs reads it to
// tell a run that only timed out from one whose tests failed.
export default async function* timeouts(source) {
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, nesting, file, details } = event.data;
    const timedOut = nesting === 0 && name === file && details?.error?.failureType === 'testTimeoutFailure';
    yield timedOut ? `timeout ${file}\n` : `failed ${file ?? name}\n`;
  }
}
