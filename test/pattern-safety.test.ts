import fc from 'fast-check';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SHAPES, PATTERN_FLAGS, type ShapeFact } from '../src/model/generated/shapes.js';
import { modelPattern, toRe2Syntax } from '../src/http/api/model-patterns.js';
import { validateInput } from '../src/http/api/validate.js';
import { ServiceError } from '../src/kernel/errors.js';
import { MAX_BODY_BYTES } from '../src/http/routes/aws-json.js';
import { adversarialUnits, patternSamples, REJECTED_TAILS, repeatTo } from './support/model-values.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * The model's patterns must not be a way to stall the server (security review, finding 3):
 * V8's backtracking RegExp took seconds on some of them (a 64,000-character
 * ReplyToEmailAddress, a 9,601-character EmailMessageByLink) while every other request
 * waited. Validation now counts lengths first, never runs a pattern past its maximum length,
 * and runs patterns on RE2 (re2js). This file checks every patterned string shape of the
 * model with hostile values up to the body limit, and that RE2 and V8 still agree on what
 * each pattern accepts.
 */

type StringFact = Extract<ShapeFact, { type: 'string' }>;

const PATTERNED: [string, StringFact & { pattern: string }][] = Object.entries(SHAPES).flatMap(([name, fact]) =>
  fact.type === 'string' && fact.pattern !== undefined ? [[name, fact as StringFact & { pattern: string }]] : [],
);

function sourceOf(fact: StringFact & { pattern: string }): string {
  return fact.jsPattern ?? fact.pattern;
}

/**
 * Time allowed for one validation of a value of `chars` UTF-16 units: 50 ms, plus 500 ns per
 * character for the patterns of shapes without a maximum length, which RE2 scans whole (35 to
 * 100 ns per character on the development machine: headroom for a loaded CI). The budget tells
 * linear from superlinear: the old engine needed 2.5 s for 32,000 characters and 2.2 s for
 * 4,800, where this allows 66 ms and 52 ms.
 */
function budgetMs(chars: number): number {
  return 50 + chars * 500e-6;
}

let _sink = 0;
/**
 * What one linear pass over the value (its code points, then its UTF-8 bytes) costs on this
 * machine right now. Test files run in parallel, so a core may be shared: the budget grows with
 * this figure, which a busy machine slows as much as it slows the validator, while a
 * superlinear pattern still grows past any multiple of it as the value grows.
 */
function linearPassMs(value: string): number {
  const start = performance.now();
  let units = 0;
  for (const ch of value) units += ch.length;
  _sink += units + new TextEncoder().encode(value).length;
  return performance.now() - start;
}

function budgetFor(value: string): number {
  return budgetMs(value.length) + 40 * linearPassMs(value);
}

/** Milliseconds for one call, measured again (up to three times) when over budget, so a GC pause or a busy CI core does not fail the test. */
function timed(budget: number, fn: () => void): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best > budget; attempt++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** A request shape and a body that puts a value of `target` where the validator will check it. */
interface Placement {
  structure: string;
  body(value: string): Record<string, unknown>;
}

function placementOf(target: string): Placement | undefined {
  const structures = Object.entries(SHAPES).filter(([, f]) => f.type === 'structure' && !f.error);
  // Directly as a member first, then as a list item, a map key or a map value.
  for (const [structure, fact] of structures) {
    if (fact.type !== 'structure') continue;
    for (const [member, m] of Object.entries(fact.members)) {
      if (m.target === target) return { structure, body: (value) => ({ [member]: value }) };
    }
  }
  for (const [structure, fact] of structures) {
    if (fact.type !== 'structure') continue;
    for (const [member, m] of Object.entries(fact.members)) {
      const inner = SHAPES[m.target];
      if (inner?.type === 'list' && inner.member === target) return { structure, body: (value) => ({ [member]: [value] }) };
      if (inner?.type === 'map' && inner.value === target) return { structure, body: (value) => ({ [member]: { k: value } }) };
      if (inner?.type === 'map' && inner.key === target) return { structure, body: (value) => ({ [member]: { [value]: 'v' } }) };
    }
  }
  return undefined;
}

describe('pattern safety: every model pattern on a linear-time engine', () => {
  it('every pattern of the model compiles under re2js', () => {
    assert.ok(PATTERNED.length >= 30, `only ${PATTERNED.length} patterned shapes found`);
    const failures: string[] = [];
    for (const [name, fact] of PATTERNED) {
      try {
        modelPattern(sourceOf(fact));
      } catch (err) {
        failures.push(`${name}: /${sourceOf(fact)}/ -> ${toRe2Syntax(sourceOf(fact))}: ${(err as Error).message}`);
      }
    }
    assert.deepEqual(failures, [], 'model patterns that re2js cannot compile');
  });

  it('\\s, \\S and . keep their JavaScript meaning for every code point', () => {
    for (const source of ['^[\\s]$', '^\\S$', '^[\\S]$', '^[^\\s]$', '^.$']) {
      const js = new RegExp(source, PATTERN_FLAGS);
      const re2 = modelPattern(source);
      const differ: string[] = [];
      for (let cp = 0; cp <= 0x10ffff; cp++) {
        const s = String.fromCodePoint(cp);
        if (js.test(s) !== re2.test(s)) differ.push(cp.toString(16));
      }
      assert.deepEqual(differ.slice(0, 20), [], `${source}: code points where RE2 and V8 disagree`);
    }
  });

  it('RE2 and V8 accept and refuse the same values for every model pattern', () => {
    const strange = ['', ' ', '\u0000', '\uD800', 'a\uDC00', '😀', '\u00a0', '\u2028', '\u000b', '\uFEFF', 'é', 'a\u0301', '\n', 'x\n', '.', 'a.'];
    for (const [name, fact] of PATTERNED) {
      const source = sourceOf(fact);
      const js = new RegExp(source, PATTERN_FLAGS);
      const re2 = modelPattern(source);
      const samples = patternSamples(source);
      const mutated = samples.flatMap((s) => strange.flatMap((x) => [s + x, x + s, s.slice(0, 1) + x + s.slice(1)]));
      const random = fc.sample(fc.string({ unit: 'binary', maxLength: 12 }), { numRuns: 200, seed: 11 });
      for (const value of [...samples, ...strange, ...mutated, ...random]) {
        assert.equal(re2.test(value), js.test(value), `${name} /${source}/ on ${JSON.stringify(value)}`);
      }
      // The valid samples really are valid: the comparison above is not all refusals.
      assert.ok(samples.length === 0 || samples.every((s) => re2.test(s)), `${name}: a valid sample refused`);
    }
  });

  it('hostile values up to the body limit are checked within a time budget, for every patterned shape', () => {
    const cases = PATTERNED.map(([name, fact]) => {
      const place = placementOf(name);
      assert.ok(place, `no request shape carries ${name}`);
      return { name, fact, place, units: adversarialUnits(name) };
    });
    // Sizes grow for all shapes together, so a superlinear pattern fails at the smallest size that shows it.
    const sizes = [1_024, 9_601, 64_000, MAX_BODY_BYTES - 64];
    let checked = 0;
    for (const size of sizes) {
      for (const { name, fact, place, units } of cases) {
        const lengths = [size];
        if (size === sizes[0] && fact.max !== undefined && fact.max + 1 < MAX_BODY_BYTES) lengths.push(fact.max, fact.max + 1);
        for (const length of lengths) {
          // At the body limit a few units are enough: a superlinear pattern shows long before.
          const big = length > 64_000;
          for (const unit of big ? units.slice(0, 3) : units) {
            for (const tail of big ? ['\u0000'] : ['', ...REJECTED_TAILS]) {
              const value = repeatTo(unit, length) + tail;
              const body = place.body(value);
              let error: unknown;
              const budget = budgetFor(value);
              const ms = timed(budget, () => {
                try {
                  validateInput(place.structure, body);
                  error = undefined;
                } catch (err) {
                  error = err;
                }
              });
              const what = `${name} in ${place.structure}: ${value.length} chars of ${JSON.stringify(unit)} + ${JSON.stringify(tail)}`;
              assert.ok(ms <= budget, `${what} took ${ms.toFixed(0)} ms (budget ${budget.toFixed(0)} ms)`);
              if (error !== undefined) {
                assert.ok(error instanceof ServiceError, `${what} threw ${String(error)}`);
                assert.equal(error.name, 'InvalidParameterException', `${what}: ${error.message.slice(0, 300)}`);
              }
              checked++;
            }
          }
        }
      }
    }
    assert.ok(checked > PATTERNED.length * sizes.length, `only ${checked} checks ran`);
  });

  it('a value past its maximum length gets its length violation, not a pattern run', () => {
    // ClientNameType: 1..128, [\w\s+=,.@-]+. A value both too long and off-pattern reports the length only.
    const long = '!'.repeat(129);
    assert.throws(
      () => validateInput('CreateUserPoolClientRequest', { UserPoolId: 'us-east-1_abc', ClientName: long }),
      (err: ServiceError) =>
        err.name === 'InvalidParameterException' &&
        err.message === `1 validation error detected: Value '${long}' at 'clientName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    // Within the limit, the pattern is still checked (and with a short value, both constraints are reported as before).
    assert.throws(
      () => validateInput('CreateUserPoolClientRequest', { UserPoolId: 'us-east-1_abc', ClientName: '!' }),
      (err: ServiceError) =>
        err.message === `1 validation error detected: Value '!' at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+`,
    );
    assert.throws(
      () => validateInput('CreateUserPoolClientRequest', { UserPoolId: 'us-east-1_abc', ClientName: '' }),
      (err: ServiceError) =>
        err.message ===
        `2 validation errors detected: Value '' at 'clientName' failed to satisfy constraint: Member must have length greater than or equal to 1; ` +
          `Value '' at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+`,
    );
  });
});

describe('pattern safety over HTTP', () => {
  let server: TestServer;
  let poolId: string;

  before(async () => {
    server = await startServer();
    const created = await server.raw('CreateUserPool', { PoolName: 'patterns' });
    poolId = (created.body.UserPool as { Id: string }).Id;
  });

  after(async () => {
    await server.close();
  });

  /** Sends the request and, while it is in flight, asks /health: a blocked event loop delays both. */
  async function timedCall(op: string, body: unknown): Promise<{ ms: number; healthMs: number; res: Awaited<ReturnType<TestServer['raw']>> }> {
    const start = performance.now();
    const call = server.raw(op, body);
    const health = fetch(`${server.url}/health`).then(async (r) => {
      await r.arrayBuffer();
      return performance.now() - start;
    });
    const res = await call;
    const ms = performance.now() - start;
    return { ms, healthMs: await health, res };
  }

  it('the review payloads are refused at once with InvalidParameterException, and the server keeps answering', async () => {
    const replyTo = '@'.repeat(64_000) + ' ';
    const byLink = '##}{##'.repeat(1_600) + '\u0000';
    assert.equal(byLink.length, 9_601);
    const payloads = [
      { body: { UserPoolId: poolId, EmailConfiguration: { ReplyToEmailAddress: replyTo } }, path: 'emailConfiguration.replyToEmailAddress', value: replyTo, pattern: String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}]+@[\p{L}\p{M}\p{S}\p{N}\p{P}]+` },
      {
        body: { UserPoolId: poolId, VerificationMessageTemplate: { EmailMessageByLink: byLink } },
        path: 'verificationMessageTemplate.emailMessageByLink',
        value: byLink,
        pattern: String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{##[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*##\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`,
      },
    ];
    for (const { body, path, value, pattern } of payloads) {
      const { ms, healthMs, res } = await timedCall('UpdateUserPool', body);
      assert.equal(res.status, 400, JSON.stringify(res.body).slice(0, 300));
      assert.equal(res.body.__type, 'InvalidParameterException');
      assert.equal(res.body.message, `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`);
      // The old engine needed seconds for each; a linear scan needs milliseconds.
      assert.ok(ms < 1_000, `${path}: answered after ${ms.toFixed(0)} ms`);
      assert.ok(healthMs < 1_000, `${path}: /health waited ${healthMs.toFixed(0)} ms`);
    }
  });

  it('a hostile value as long as the body limit allows is refused quickly', async () => {
    // EmailAddressType has no maximum length, so its pattern runs on the whole value.
    const value = '@'.repeat(MAX_BODY_BYTES - 200) + ' ';
    const { ms, res } = await timedCall('UpdateUserPool', { UserPoolId: poolId, EmailConfiguration: { ReplyToEmailAddress: value } });
    assert.equal(res.status, 400);
    assert.equal(res.body.__type, 'InvalidParameterException');
    assert.match(String(res.body.message), /^1 validation error detected: Value '@+ ' at 'emailConfiguration\.replyToEmailAddress' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
    assert.ok(ms < 1_000, `answered after ${ms.toFixed(0)} ms`);
  });
});
