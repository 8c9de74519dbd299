import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { OPERATION_NAMES, OPERATIONS, SERVICE } from '../src/model/generated/operations.js';
import { PATTERN_FLAGS, SHAPES, type ShapeFact } from '../src/model/generated/shapes.js';
import type { AdminResetUserPasswordRequest, OperationIO, UserStatusType } from '../src/model/generated/types.js';
import { DEFAULT_MODEL_PATH, toJsPattern } from './gen-model.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function shape<T extends ShapeFact['type']>(name: string, type: T): Extract<ShapeFact, { type: T }> {
  const s = SHAPES[name];
  assert.ok(s, `shape ${name} exists`);
  assert.equal(s.type, type, `shape ${name} is a ${type}`);
  return s as Extract<ShapeFact, { type: T }>;
}

describe('generated operations', () => {
  it('has the service facts', () => {
    assert.deepEqual(SERVICE, {
      targetPrefix: 'AWSCognitoIdentityProviderService',
      signingName: 'cognito-idp',
      apiVersion: '2016-04-18',
    });
  });

  it('lists operation names sorted and matching OPERATIONS', () => {
    assert.deepEqual([...OPERATION_NAMES], [...OPERATION_NAMES].sort());
    assert.deepEqual(Object.keys(OPERATIONS).sort(), [...OPERATION_NAMES]);
    assert.equal(OPERATION_NAMES.length, 122);
  });

  it('AdminResetUserPassword is signed and declares its errors', () => {
    const op = OPERATIONS.AdminResetUserPassword;
    assert.equal(op.unsigned, false);
    assert.equal(op.input, 'AdminResetUserPasswordRequest');
    assert.equal(op.output, 'AdminResetUserPasswordResponse');
    assert.ok(op.errors.includes('UserNotFoundException'));
    assert.ok(op.errors.includes('NotAuthorizedException'));
    assert.deepEqual([...op.errors], [...op.errors].sort());
  });

  it('user-flow operations are unsigned', () => {
    for (const name of [
      'ForgotPassword',
      'ConfirmForgotPassword',
      'InitiateAuth',
      'SignUp',
      'RespondToAuthChallenge',
    ] as const) {
      assert.equal(OPERATIONS[name].unsigned, true, `${name} is unsigned`);
    }
    assert.equal(OPERATIONS.AdminInitiateAuth.unsigned, false);
    assert.equal(OPERATIONS.CreateUserPool.unsigned, false);
  });

  it('every input/output/error names an emitted shape; errors carry smithy.api#error', () => {
    for (const name of OPERATION_NAMES) {
      const op = OPERATIONS[name];
      for (const io of [op.input, op.output]) {
        if (io !== null) assert.equal(SHAPES[io]?.type, 'structure', `${name}: ${io}`);
      }
      for (const e of op.errors) {
        const s = SHAPES[e];
        assert.ok(s && s.type === 'structure' && s.error !== undefined, `${name}: error ${e}`);
      }
    }
  });
});

describe('generated shapes', () => {
  it('UsernameType: max 128, sensitive, unicode pattern', () => {
    const s = shape('UsernameType', 'string');
    assert.equal(s.max, 128);
    assert.equal(s.min, 1);
    assert.equal(s.sensitive, true);
    assert.ok(s.pattern?.includes('\\p{L}'), `pattern ${s.pattern}`);
  });

  it('UserPoolIdType pattern is exactly the model value', () => {
    assert.equal(shape('UserPoolIdType', 'string').pattern, '^[\\w-]+_[0-9a-zA-Z]+$');
  });

  it('UserStatusType enum includes RESET_REQUIRED', () => {
    assert.ok(shape('UserStatusType', 'string').enum?.includes('RESET_REQUIRED'));
    const typed: UserStatusType = 'RESET_REQUIRED';
    assert.equal(typed, 'RESET_REQUIRED');
  });

  it('AdminResetUserPasswordRequest requires UserPoolId and Username', () => {
    const s = shape('AdminResetUserPasswordRequest', 'structure');
    assert.equal(s.members['UserPoolId']?.required, true);
    assert.equal(s.members['Username']?.required, true);
    assert.equal(s.members['ClientMetadata']?.required, undefined);
    assert.equal(s.members['Username']?.target, 'UsernameType');
    // compile-time: the generated interface has the same shape
    const req: AdminResetUserPasswordRequest = { UserPoolId: 'us-east-1_abc', Username: 'u' };
    const io: OperationIO['AdminResetUserPassword']['input'] = req;
    assert.equal(io.Username, 'u');
  });

  it('error shapes carry fault and http status', () => {
    const nf = shape('UserNotFoundException', 'structure');
    assert.equal(nf.error, 'client');
    assert.equal(nf.httpError, 404);
    assert.equal(shape('InternalErrorException', 'structure').error, 'server');
  });

  it('every member target and list/map reference resolves', () => {
    for (const [name, s] of Object.entries(SHAPES)) {
      const refs =
        s.type === 'structure'
          ? Object.values(s.members).map((m) => m.target)
          : s.type === 'list'
            ? [s.member]
            : s.type === 'map'
              ? [s.key, s.value]
              : [];
      for (const r of refs) assert.ok(SHAPES[r], `${name} -> ${r}`);
    }
  });

  it('every pattern compiles with the u flag (jsPattern where the model pattern does not)', () => {
    assert.equal(PATTERN_FLAGS, 'u');
    const needsJs: string[] = [];
    let count = 0;
    for (const [name, s] of Object.entries(SHAPES)) {
      if (s.type !== 'string' || s.pattern === undefined) continue;
      count++;
      let modelCompiles = true;
      try {
        new RegExp(s.pattern, PATTERN_FLAGS);
      } catch {
        modelCompiles = false;
      }
      if (!modelCompiles) needsJs.push(name);
      assert.equal(s.jsPattern !== undefined, !modelCompiles, `${name}: jsPattern present iff needed`);
      assert.doesNotThrow(() => new RegExp(s.jsPattern ?? s.pattern ?? '', PATTERN_FLAGS), name);
    }
    assert.ok(count > 50, `found ${count} patterns`);
    // Known: the model uses a Java inline flag group, `^(?s)`, which ECMAScript rejects.
    assert.deepEqual(needsJs, ['SmsInviteMessageType']);
    assert.equal(shape('SmsInviteMessageType', 'string').pattern, '^(?s)');
    assert.equal(shape('SmsInviteMessageType', 'string').jsPattern, '^');
  });

  it('toJsPattern rewrites dotall inline flags and leaves classes alone', () => {
    assert.equal(toJsPattern('^(?s)'), '^');
    assert.equal(toJsPattern('^(?s)a.b[.]\\.$'), '^a[^]b[.]\\.$');
    assert.throws(() => toJsPattern('(?i)abc'), /unsupported inline flag/);
  });
});

describe('gen-model --check', () => {
  it('passes on the committed output (or skips without the model)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/gen-model.ts'), '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    if (existsSync(DEFAULT_MODEL_PATH)) assert.match(r.stdout, /up to date/);
    else assert.match(r.stdout, /model unavailable, skipping/);
  });

  it('reports "model unavailable, skipping" for a missing model', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts/gen-model.ts'), path.join(ROOT, 'no-such-model.json'), '--check'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /model unavailable, skipping/);
  });
});
