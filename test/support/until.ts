import assert from 'node:assert/strict';

/**
 * Waits until `check` holds, asking every 20 ms; past `timeoutMs` the test fails naming `what`.
 * For state another part of the system reaches by itself (a delivery recorded, a write
 * acknowledged): a fixed sleep would be too short on a loaded machine and too long elsewhere.
 */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
