import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declaredOnly, errorResult } from '../src/http/api/protocol.js';
import { ServiceError, notAuthorized, statusOf, usernameExists } from '../src/kernel/errors.js';
import { createLogger } from '../src/kernel/logger.js';
import { MODEL_ERRORS } from '../src/model/generated/errors.js';
import { OPERATIONS } from '../src/model/generated/operations.js';

const ctx = { requestId: 'r-1', sourceIp: '127.0.0.1', baseUrl: 'http://127.0.0.1' };

test('an error the operation declares reaches the client as it is', () => {
  const err = notAuthorized('Incorrect username or password.');
  assert.equal(declaredOnly('InitiateAuth', err), err);
});

test('an error the operation does not declare becomes a logged InternalErrorException that leaks nothing', () => {
  const lines: string[] = [];
  const undeclared = declaredOnly('GetUser', usernameExists('User already exists'));
  assert.ok(!(undeclared instanceof ServiceError));
  const result = errorResult(undeclared, ctx, createLogger('error', (line) => lines.push(line)));
  assert.equal(result.status, 500);
  assert.deepEqual(JSON.parse(result.body), { __type: 'InternalErrorException', message: 'Internal server error.' });
  assert.equal(lines.length, 1);
  assert.match(lines[0] as string, /GetUser threw UsernameExistsException, which its model does not declare/);
});

test('errors AWS documents beyond the model pass, only for that operation', () => {
  const alias = new ServiceError('AliasExistsException', 'An account with the email already exists.');
  assert.equal(declaredOnly('AdminCreateUser', alias), alias);
  assert.ok(!(declaredOnly('SignUp', alias) instanceof ServiceError));
  assert.ok(!OPERATIONS.AdminCreateUser.errors.includes('AliasExistsException'));
});

test('client errors answer 400 and server faults 500, as the service does, whatever the model says', () => {
  for (const [name, fact] of Object.entries(MODEL_ERRORS)) {
    assert.equal(statusOf(name as keyof typeof MODEL_ERRORS), fact.fault === 'server' ? 500 : 400, name);
  }
  // The model says 403 and 404 for these; the service answers 400 (cognito-facts.md section 8).
  assert.equal(MODEL_ERRORS.NotAuthorizedException.status, 403);
  assert.equal(new ServiceError('NotAuthorizedException', 'x').status, 400);
  assert.equal(new ServiceError('UserNotFoundException', 'x').status, 400);
  assert.equal(new ServiceError('InternalErrorException', 'x').status, 500);
});
