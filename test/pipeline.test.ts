import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApiPipeline, type Guards } from '../src/http/pipeline/index.js';
import type { Handlers } from '../src/features/operation.js';
import { ServiceError } from '../src/kernel/errors.js';
import { silentLogger } from '../src/kernel/logger.js';
import type { RawRequest } from '../src/kernel/request-context.js';

const TARGET = 'AWSCognitoIdentityProviderService.';
const ctx = () => ({ requestId: 'r', sourceIp: '127.0.0.1', baseUrl: 'http://x' });
const request = (body: unknown, query = ''): RawRequest => ({ method: 'POST', path: '/', query: new URLSearchParams(query), headers: {}, body: JSON.stringify(body) });

/** Guards that note, in order, which ran and what input each saw. */
function noting(seen: string[]): Guards {
  return {
    authenticate: async (operation, signed, _request, input) => void seen.push(`sigv4 ${operation} ${signed} ${JSON.stringify(input)}`),
    admit: async (operation, input) => void seen.push(`quotas ${operation} ${JSON.stringify(input)}`),
    record: (outcome) => void seen.push(`audit ${outcome.operation} ${outcome.status} ${outcome.errorType} ${JSON.stringify(outcome.input)}`),
  };
}

describe('the API pipeline', () => {
  it('runs its named steps in order, the optional ones only when configured', () => {
    const full = createApiPipeline({ handlers: {}, logger: silentLogger, guards: noting([]) });
    assert.deepEqual(full.steps.map((s) => s.name), ['target', 'body', 'sigv4', 'quotas', 'validate', 'known-members', 'call']);
    assert.deepEqual(full.after.map((s) => s.name), ['audit']);
    const bare = createApiPipeline({ handlers: {}, logger: silentLogger });
    assert.deepEqual(bare.steps.map((s) => s.name), ['target', 'body', 'validate', 'known-members', 'call']);
    assert.deepEqual(bare.after, []);
  });

  it('shows every step only the members the operation defines; the operation gets them checked', async () => {
    const seen: string[] = [];
    let received: unknown;
    const handlers: Handlers = {
      ListUserPools: async (input) => {
        received = input;
        return { UserPools: [] };
      },
    };
    const pipeline = createApiPipeline({ handlers, logger: silentLogger, guards: noting(seen) });
    const done = await pipeline.handle(`${TARGET}ListUserPools`, request({ MaxResults: 5, UserPoolId: 'us-east-1_other', Extra: { a: 1 } }), ctx());
    assert.deepEqual([done.status, done.body], [200, '{"UserPools":[]}']);
    assert.deepEqual(received, { MaxResults: 5 });
    assert.deepEqual(seen, ['sigv4 ListUserPools true {"MaxResults":5}', 'quotas ListUserPools {"MaxResults":5}', 'audit ListUserPools 200 undefined {"MaxResults":5}']);
  });

  it('stops at the first step that throws, and records the refusal', async () => {
    const seen: string[] = [];
    const guards = noting(seen);
    guards.authenticate = async () => {
      seen.push('sigv4');
      throw new ServiceError('AccessDeniedException', 'no');
    };
    const pipeline = createApiPipeline({ handlers: {}, logger: silentLogger, guards });
    // Invalid input, but the policy answers first, as in AWS.
    const done = await pipeline.handle(`${TARGET}AdminGetUser`, request({ UserPoolId: 'bad pool id' }), ctx());
    assert.deepEqual([done.status, done.errorType, JSON.parse(done.body)], [400, 'AccessDeniedException', { __type: 'AccessDeniedException', message: 'no' }]);
    assert.deepEqual(seen, ['sigv4', 'audit AdminGetUser 400 AccessDeniedException {"UserPoolId":"bad pool id"}']);
  });

  it('takes a presigned request\'s operation from its query, and refuses a header naming another', async () => {
    const seen: string[] = [];
    const pipeline = createApiPipeline({ handlers: { ListUserPools: async () => ({ UserPools: [] }) }, logger: silentLogger, guards: noting(seen) });
    const presigned = `X-Amz-Algorithm=AWS4-HMAC-SHA256&x-amz-target=${TARGET}ListUserPools`;
    const fromQuery = await pipeline.handle(undefined, request({ MaxResults: 1 }, presigned), ctx());
    assert.equal(fromQuery.status, 200, fromQuery.body);
    const conflicting = await pipeline.handle(`${TARGET}AdminDeleteUser`, request({ MaxResults: 1 }, presigned), ctx());
    assert.equal(conflicting.errorType, 'InvalidSignatureException');
    const twoInQuery = await pipeline.handle(undefined, request({ MaxResults: 1 }, `${presigned}&X-Amz-Target=${TARGET}AdminDeleteUser`), ctx());
    assert.equal(twoInQuery.errorType, 'InvalidSignatureException');
    // Not presigned: the query names no operation.
    const notPresigned = await pipeline.handle(undefined, request({ MaxResults: 1 }, `x-amz-target=${TARGET}ListUserPools`), ctx());
    assert.equal(notPresigned.errorType, 'UnknownOperationException');
  });
});
