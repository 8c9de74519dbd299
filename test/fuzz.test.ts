import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { OPERATIONS as IMPLEMENTED } from '../src/features/registry.js';
import { OPERATION_NAMES, OPERATIONS, type OperationName } from '../src/model/generated/operations.js';
import { SHAPES } from '../src/model/generated/shapes.js';
import { validateInput } from '../src/http/api/validate.js';
import { createLogger } from '../src/kernel/logger.js';
import {
  adversarialUnits,
  patternedPaths,
  placeAt,
  repeatTo,
  shapeFact,
  structureMembers,
  typedValue,
  validValue,
  violationFor,
  wrongTypeValue,
} from './support/model-values.js';
import { startServer, type RawResponse, type TestServer } from './support/server.js';

/**
 * Hostile input for every operation of the model, whatever is registered when the test runs.
 * The property: a client error is HTTP 400 (413 when the body is too large) with a JSON body
 * naming an error of the model or of the protocol; never a 500, never a crash, the server
 * keeps answering, and no request takes longer than REQUEST_BUDGET_MS (validation runs on the
 * event loop: a slow check stalls every other request). Inputs include null list members and
 * map values, and values of maximum length (and one more) built from the characters each
 * pattern accepts. FUZZ_RUNS raises the number of cases per property (default keeps the file
 * under a minute on two cores); FUZZ_SEED replays a run.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const fcParams = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true };

/**
 * The longest any one fuzz request may take. Bodies here are at most a few hundred kilobytes,
 * answered in milliseconds; the backtracking patterns this guards against took seconds.
 */
const REQUEST_BUDGET_MS = 2_000;
/** Length of the hostile values for patterned shapes that have no maximum length. */
const UNBOUNDED_LENGTH = 64_000;

/** Deeper than JSON.stringify's recursion allows, to catch code that echoes input back. */
const NESTING = 20_000;
const PROTOCOL_ERRORS = ['SerializationException', 'UnknownOperationException', 'UnsupportedOperationException'];
const MODEL_ERRORS = new Set(Object.entries(SHAPES).filter(([, f]) => f.type === 'structure' && f.error).map(([n]) => n));
const serverLog: string[] = [];

function allowedErrors(op: OperationName): Set<string> {
  return new Set([...OPERATIONS[op].errors, ...PROTOCOL_ERRORS]);
}

function describeCase(op: string, body: unknown, res: RawResponse | { status: number; body: unknown }): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const shown = text === undefined ? String(body) : text.length > 600 ? `${text.slice(0, 600)}... (${text.length} chars)` : text;
  const log = serverLog.slice(-3).join('');
  return `${op} with body ${shown}\n-> ${res.status} ${JSON.stringify(res.body)}${log ? `\nserver log:\n${log}` : ''}`;
}

/** Asserts the AWS JSON error shape; `expectType` narrows the accepted error names. */
function assertClientError(op: OperationName, body: unknown, res: RawResponse, expectType?: string | string[]): void {
  const context = describeCase(op, body, res);
  assert.ok(res.status === 400 || res.status === 413, `expected 400, got ${res.status}: ${context}`);
  const type = res.body.__type;
  assert.equal(typeof type, 'string', `no __type: ${context}`);
  assert.equal(typeof res.body.message, 'string', `no message: ${context}`);
  assert.ok(MODEL_ERRORS.has(type as string) || PROTOCOL_ERRORS.includes(type as string), `__type ${String(type)} is not in the model: ${context}`);
  assert.ok(allowedErrors(op).has(type as string), `__type ${String(type)} is not an error of ${op} in the model: ${context}`);
  assert.equal(res.headers.get('x-amzn-errortype'), type, `x-amzn-ErrorType header: ${context}`);
  if (expectType !== undefined) {
    const expected = Array.isArray(expectType) ? expectType : [expectType];
    assert.ok(expected.includes(type as string), `expected ${expected.join(' or ')}: ${context}`);
  }
}

function assertAnswered(op: OperationName, body: unknown, res: RawResponse): void {
  if (res.status === 200) return;
  assertClientError(op, body, res);
}

function inputShape(op: OperationName): string | null {
  return OPERATIONS[op].input;
}

function requiredMembers(op: OperationName): string[] {
  const shape = inputShape(op);
  return shape === null ? [] : structureMembers(shape).filter(([, m]) => m.required).map(([n]) => n);
}

/** JSON text with own `__proto__`/`constructor` members, which JSON.stringify of a literal cannot produce. */
function withPrototypeKeys(value: unknown): string {
  const base = JSON.stringify(value ?? {});
  const extra = '"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}}';
  return base === '{}' ? `{${extra}}` : `{${extra},${base.slice(1)}`;
}

function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function assertPrototypeClean(context: string): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.polluted, undefined, `Object.prototype was polluted after ${context}`);
  assert.equal(probe.isAdmin, undefined, `Object.prototype was polluted after ${context}`);
}

describe('fuzz: hostile input to every operation', { concurrency: 1 }, () => {
  let server: TestServer;

  /** server.raw, failing the test when the answer took longer than REQUEST_BUDGET_MS. */
  async function timedRaw(op: OperationName, body: unknown): Promise<RawResponse> {
    const start = performance.now();
    const res = await server.raw(op, body);
    const ms = performance.now() - start;
    assert.ok(ms <= REQUEST_BUDGET_MS, `answered after ${ms.toFixed(0)} ms (budget ${REQUEST_BUDGET_MS} ms): ${describeCase(op, body, res)}`);
    return res;
  }
  let poolId = 'us-east-1_NoSuchPl1';
  let clientId = 'nosuchclientid0123456789ab';
  let hints: Record<string, fc.Arbitrary<unknown>>;

  before(async () => {
    server = await startServer({ overrides: { logger: createLogger('error', (line) => serverLog.push(line)) } });
    // Threat protection on (AUDIT, Plus plan), so the auth events, feedback and risk
    // configuration operations reach their own checks rather than UserPoolAddOnNotEnabledException.
    const pool = await server.client.send(new sdk.CreateUserPoolCommand({ PoolName: 'fuzz', UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } }));
    poolId = pool.UserPool?.Id ?? poolId;
    if ('CreateUserPoolClient' in IMPLEMENTED) {
      const created = await server.client.send(new sdk.CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'fuzz' }));
      clientId = created.UserPoolClient?.ClientId ?? clientId;
    }
    if ('AdminCreateUser' in IMPLEMENTED) {
      await server.client.send(new sdk.AdminCreateUserCommand({ UserPoolId: poolId, Username: 'fuzzuser', MessageAction: 'SUPPRESS' }));
    }
    // Real identifiers now and then, so inputs also reach the operations' own checks.
    const mix = (real: string, fallback: fc.Arbitrary<unknown>) =>
      fc.oneof({ weight: 2, arbitrary: fc.constant(real) }, { weight: 1, arbitrary: fallback });
    hints = {
      UserPoolId: mix(poolId, fc.constantFrom('us-east-1_NoSuchPl1', '', 'x')),
      ClientId: mix(clientId, fc.constantFrom('nosuchclientid0123456789ab', '')),
      Username: mix('fuzzuser', fc.string({ maxLength: 130 })),
    };
  });

  after(async () => {
    await server.close();
    assertPrototypeClean('the whole run');
  });

  for (const op of OPERATION_NAMES) {
    it(`${op}: malformed bodies are rejected with a modelled 400`, async () => {
      const shape = inputShape(op);
      const members = shape === null ? [] : structureMembers(shape);
      const memberNames = new Set(members.map(([n]) => n));
      const required = requiredMembers(op);

      // Not a JSON object at all.
      const notObject = fc.oneof(
        fc
          .jsonValue({ maxDepth: 2 })
          .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
          .map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 30 }).filter((s) => s.trim() !== '' && !parsesToObject(s)),
        fc.constantFrom('{', '{"a":}', '{"a":1,}', "{'a':1}", '\u0000', '{"a":1}{', 'null', 'NaN', '{"a":1e400}'),
      );
      await fc.assert(
        fc.asyncProperty(notObject, async (text) => {
          const res = await timedRaw(op, text);
          if (text === '{"a":1e400}') assertAnswered(op, text, res);
          else assertClientError(op, text, res, 'SerializationException');
        }),
        fcParams,
      );

      // Objects whose members the model does not know: missing required members.
      const strangers = fc
        .dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
        .filter((o) => !Object.keys(o).some((k) => memberNames.has(k)));
      await fc.assert(
        fc.asyncProperty(strangers, async (body) => {
          const res = await timedRaw(op, body);
          if (required.length > 0) assertClientError(op, body, res, 'InvalidParameterException');
          else assertAnswered(op, body, res);
        }),
        fcParams,
      );
      if (shape === null) return;

      // Right types, hostile contents, sometimes real identifiers: any modelled answer.
      await fc.assert(
        fc.asyncProperty(typedValue(shape, { hints }), async (body) => {
          const res = await timedRaw(op, body);
          assertAnswered(op, body, res);
        }),
        fcParams,
      );

      // Right types with exactly one broken constraint: InvalidParameterException.
      const breakable = members.filter(([name, m]) => violationFor(m, `${shape}.${name}`).length > 0);
      if (breakable.length > 0) {
        const broken = fc
          .tuple(typedValue(shape, { hints }), fc.constantFrom(...breakable))
          .chain(([body, [name, member]]) =>
            fc.constantFrom(...violationFor(member, `${shape}.${name}`)).map((bad) => ({ ...(body as object), [name]: bad })),
          );
        await fc.assert(
          fc.asyncProperty(broken, async (body) => {
            const res = await timedRaw(op, body);
            assertClientError(op, body, res, 'InvalidParameterException');
          }),
          fcParams,
        );
      }

      // One member of the wrong JSON type: SerializationException.
      const typed = members.filter(([, m]) => wrongTypeValue(m.target) !== undefined);
      if (typed.length > 0) {
        const wrong = fc
          .tuple(typedValue(shape, { hints }), fc.constantFrom(...typed))
          .chain(([body, [name, member]]) =>
            (wrongTypeValue(member.target) as fc.Arbitrary<unknown>).map((bad) => ({ ...(body as object), [name]: bad })),
          );
        await fc.assert(
          fc.asyncProperty(wrong, async (body) => {
            const res = await timedRaw(op, body);
            assertClientError(op, body, res, 'SerializationException');
          }),
          fcParams,
        );
      }

      // Prototype-pollution keys next to real members.
      await fc.assert(
        fc.asyncProperty(typedValue(shape, { hints }), async (body) => {
          const text = withPrototypeKeys(body);
          const res = await timedRaw(op, text);
          assertAnswered(op, text, res);
          assertPrototypeClean(`${op} ${text.slice(0, 200)}`);
        }),
        fcParams,
      );

      // Deep nesting in every member.
      for (const [name, member] of members) {
        const kind = SHAPES[member.target]?.type;
        const deep = kind === 'structure' || kind === 'map' ? deepObject(NESTING) : deepArray(NESTING);
        const text = `{"${name}":${deep}}`;
        const res = await timedRaw(op, text);
        assertClientError(op, `{"${name}": <${deep.length} chars of nesting>}`, res);
      }

      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 200, `server stopped answering after ${op}`);
    });
  }

  it('every patterned member, at its maximum length and one more, in characters its pattern accepts: answered in time, never a 500', async () => {
    let sent = 0;
    for (const op of OPERATION_NAMES) {
      const shape = inputShape(op);
      if (shape === null) continue;
      const paths = patternedPaths(shape);
      for (const [index, { steps, target }] of paths.entries()) {
        const fact = shapeFact(target);
        if (fact.type !== 'string') continue;
        const units = adversarialUnits(target);
        // The first unit (a separator of the pattern, when it has one) and one more, turning with the path.
        const chosen = [...new Set([units[0], units[1 + (index % Math.max(1, units.length - 1))]])].filter((u): u is string => u !== undefined);
        const lengths = fact.max !== undefined ? [fact.max, fact.max + 1] : [UNBOUNDED_LENGTH];
        for (const unit of chosen) {
          for (const length of lengths) {
            // At the maximum, end on a refused character so the whole run must be scanned; past it, the run alone.
            const value = length === fact.max || fact.max === undefined ? repeatTo(unit, length - 1) + '\u0000' : repeatTo(unit, length);
            const body = placeAt(shape, steps, value);
            const res = await timedRaw(op, body);
            assertAnswered(op, body, res);
            sent++;
          }
        }
      }
    }
    assert.ok(sent > 500, `only ${sent} requests sent`);
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
  });

  it('a valid request naming a pool, client or token that does not exist gets a modelled 400', async () => {
    const answered: string[] = [];
    for (const op of OPERATION_NAMES) {
      const shape = inputShape(op);
      if (shape === null) continue;
      const input = validValue(shape) as Record<string, unknown>;
      assert.doesNotThrow(() => validateInput(shape, input), `the test built an invalid input for ${op}: ${JSON.stringify(input)}`);
      const res = await server.raw(op, input);
      answered.push(`${op}:${res.status}`);
      if (res.status === 200) {
        // Only operations that name no existing resource may succeed.
        const names = Object.keys(input);
        const refersToSomething = names.some((n) => /PoolId|ClientId|AccessToken|Session|Token$|Arn$|Username|JobId|GroupName|ProviderName|Identifier|DeviceKey/.test(n));
        assert.ok(!refersToSomething, `${op} succeeded for a resource that does not exist: ${describeCase(op, input, res)}`);
        continue;
      }
      assertClientError(op, input, res);
      if (!(op in IMPLEMENTED)) {
        assert.equal(res.body.__type, 'UnsupportedOperationException', describeCase(op, input, res));
        assert.equal(res.body.message, `userpoold does not implement ${op} yet.`);
      } else {
        assert.notEqual(res.body.__type, 'UnsupportedOperationException', `${op} is registered but answered UnsupportedOperationException`);
      }
    }
    assert.equal(answered.length, OPERATION_NAMES.length);
  });

  it('hostile input through the SDK gets modelled errors', async () => {
    const client = server.client as unknown as { send(command: unknown): Promise<unknown> };
    const commands = sdk as unknown as Record<string, new (input: unknown) => unknown>;
    for (const op of OPERATION_NAMES) {
      const Command = commands[`${op}Command`];
      const shape = inputShape(op);
      if (Command === undefined || shape === null) continue;
      await fc.assert(
        fc.asyncProperty(typedValue(shape, { hints, forSdk: true, maxDepth: 3 }), async (input) => {
          try {
            await client.send(new Command(input));
          } catch (err) {
            const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $response?: unknown };
            // The SDK refusing to serialize something never reached the server.
            if (e.$metadata?.httpStatusCode === undefined) return;
            const context = `${op} via SDK with ${JSON.stringify(input)?.slice(0, 400)} -> ${e.$metadata.httpStatusCode} ${e.name}\n${serverLog.slice(-2).join('')}`;
            assert.equal(e.$metadata.httpStatusCode, 400, context);
            assert.ok(allowedErrors(op).has(e.name ?? ''), `${e.name} is not an error of ${op}: ${context}`);
          }
        }),
        { ...fcParams, numRuns: Math.max(2, Math.ceil(RUNS / 2)) },
      );
    }
  });

  it('bodies over 1 MiB get 413, declared or streamed, and the server keeps answering', async () => {
    const big = JSON.stringify({ UserPoolId: 'x'.repeat(1024 * 1024 + 10) });
    for (const op of ['DescribeUserPool', 'CreateUserPool', 'AdminGetUser'] as const) {
      const res = await server.raw(op, big);
      assert.equal(res.status, 413, describeCase(op, '<1 MiB>', res));
      assert.equal(res.body.__type, 'SerializationException');
    }
    const streamed = await chunkedPost(server.url, 'DescribeUserPool', big);
    assert.equal(streamed.status, 413);
    assert.equal(JSON.parse(streamed.body).__type, 'SerializationException');
    // Just under the limit: read whole, then refused by validation.
    const nearLimit = JSON.stringify({ UserPoolId: 'x'.repeat(1024 * 1024 - 100) });
    const res = await server.raw('DescribeUserPool', nearLimit);
    assertClientError('DescribeUserPool', '<just under 1 MiB>', res, 'InvalidParameterException');
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
  });

  it('a body nested beyond any parser depth is refused, not fatal', async () => {
    const array = await server.raw('DescribeUserPool', deepArray(400_000));
    assertClientError('DescribeUserPool', '<400000 nested arrays>', array, 'SerializationException');
    // An object nested this deep parses; its only member is unknown, so the pool id is missing.
    const object = await server.raw('DescribeUserPool', deepObject(150_000));
    assertClientError('DescribeUserPool', '<150000 nested objects>', object, 'InvalidParameterException');
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
  });

  it('targets that are not operations get UnknownOperationException', async () => {
    const prefixes = ['AWSCognitoIdentityProviderService.', 'Other.', '', 'AWSCognitoIdentityProviderService'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), fc.string({ maxLength: 30 }), async (prefix, name) => {
        const target = prefix + name;
        fc.pre(!OPERATION_NAMES.some((op) => target === `AWSCognitoIdentityProviderService.${op}`));
        fc.pre(/^[\x20-\x7e]*$/.test(target));
        const res = await fetch(`${server.url}/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target },
          body: '{}',
        });
        assert.equal(res.status, 400, target);
        const body = (await res.json()) as Record<string, unknown>;
        assert.equal(body.__type, 'UnknownOperationException', target);
      }),
      { ...fcParams, numRuns: RUNS * 5 },
    );
  });

  it('logged no internal error during the run', () => {
    const internal = serverLog.filter((line) => line.includes('"level":"error"'));
    assert.deepEqual(internal, [], 'the server logged internal errors');
  });
});

function parsesToObject(s: string): boolean {
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

function chunkedPost(url: string, op: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${op}`,
          'Transfer-Encoding': 'chunked',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    // The server may answer and close before the whole body is written.
    req.on('error', (err) => reject(err));
    for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
    req.end();
  });
}
