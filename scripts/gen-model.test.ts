import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { OPERATION_NAMES, OPERATIONS, SERVICE } from '../src/model/generated/operations.js';
import { PATTERN_FLAGS, SHAPES, type ShapeFact } from '../src/model/generated/shapes.js';
import type { AdminResetUserPasswordRequest, OperationIO, UserStatusType } from '../src/model/generated/types.js';
import { DEFAULT_BOTOCORE_PATH, DEFAULT_MODEL_PATH, extractBotocoreFacts, mergeFacts, normalizePattern, toJsPattern, type ModelFacts, type ShapeFact as FactShape } from './gen-model.js';

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
    // 122 from the Smithy model (April 2026) and 7 only in the botocore model (July 2026)
    assert.equal(OPERATION_NAMES.length, 129);
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

describe('facts from the newer botocore model', () => {
  const NEWER_ONLY = [
    'AdminGetUserAuthFactors',
    'CreateUserPoolReplica',
    'DeleteUserPoolReplica',
    'GetProvisionedLimit',
    'ListUserPoolReplicas',
    'UpdateProvisionedLimit',
    'UpdateUserPoolReplica',
  ] as const;

  it('has the seven operations only the botocore model has, signed, with their declared errors', () => {
    for (const name of NEWER_ONLY) {
      assert.ok((OPERATION_NAMES as readonly string[]).includes(name), name);
      assert.equal(OPERATIONS[name].unsigned, false, `${name} is signed`);
    }
    assert.deepEqual([...OPERATIONS.UpdateProvisionedLimit.errors], [
      'InternalErrorException',
      'InvalidParameterException',
      'NotAuthorizedException',
      'ResourceNotFoundException',
      'ServiceQuotaExceededException',
      'TooManyRequestsException',
    ]);
    assert.ok(OPERATIONS.AdminGetUserAuthFactors.errors.includes('UserNotFoundException'));
    assert.equal(OPERATIONS.GetUserAuthFactors.unsigned, true);
  });

  it('translates botocore shapes: required members, lengths, enums, exceptions', () => {
    const req = shape('UpdateUserPoolReplicaRequest', 'structure');
    assert.deepEqual(req.members, {
      UserPoolId: { target: 'UserPoolIdType', required: true },
      RegionName: { target: 'RegionNameType', required: true },
      Status: { target: 'UpdateReplicaStatusType', required: true },
    });
    const region = shape('RegionNameType', 'string');
    assert.equal(region.min, 5);
    assert.equal(region.max, 32);
    assert.deepEqual(shape('ReplicaStatusType', 'string').enum, ['CREATING', 'ACTIVE', 'INACTIVE', 'DELETING']);
    assert.deepEqual(shape('LimitClass', 'string').enum, ['API_CATEGORY']);
    assert.equal(shape('ServiceQuotaExceededException', 'structure').error, 'client');
    assert.equal(shape('OperationNotEnabledException', 'structure').error, 'client');
  });

  it('keeps the Smithy facts botocore only spells differently, and takes changed constraints', () => {
    // botocore drops ^...$: the anchored Smithy pattern stays
    assert.equal(shape('UserPoolIdType', 'string').pattern, '^[\\w-]+_[0-9a-zA-Z]+$');
    // a real change: the 2026 model lets SOFTWARE_TOKEN be an auth factor, and five of them
    assert.ok(shape('AuthFactorType', 'string').enum?.includes('SOFTWARE_TOKEN'));
    assert.equal(shape('AllowedFirstAuthFactorsListType', 'list').max, 5);
    // the Smithy model's HTTP statuses stay (botocore has none)
    assert.equal(shape('UserNotFoundException', 'structure').httpError, 404);
    // shared operations gain the newer model's errors
    assert.ok(OPERATIONS.InitiateAuth.errors.includes('OperationNotEnabledException'));
    assert.ok(!OPERATIONS.CreateUserPool.errors.includes('OperationNotEnabledException'));
  });

  it('normalizePattern compares anchored and unanchored spellings', () => {
    assert.equal(normalizePattern('^[a-z]+$'), normalizePattern('[a-z]+'));
    assert.equal(normalizePattern('^(?s)'), normalizePattern('(?s).*'));
    assert.equal(normalizePattern('.*\\{####\\}.*'), normalizePattern('\\{####\\}'));
    assert.notEqual(normalizePattern('^[a-z]+$'), normalizePattern('[a-y]+'));
    assert.equal(normalizePattern('a\\$'), 'a\\$');
  });

  it('mergeFacts adds, widens and reports, and refuses a disagreement on an operation', () => {
    const base: ModelFacts = {
      service: { targetPrefix: 'P', signingName: 's', apiVersion: 'v' },
      operations: new Map([['Op', { input: 'In', output: null, unsigned: false, errors: ['E'] }]]),
      shapes: new Map<string, FactShape>([
        ['In', { type: 'structure', members: { A: { target: 'S', required: true } } }],
        ['S', { type: 'string', min: 0, max: 5, pattern: '^a+$' }],
        ['E', { type: 'structure', members: {}, error: 'client', httpError: 404 }],
      ]),
      patternFixes: new Map(),
    };
    const newer = extractBotocoreFacts({
      metadata: { protocol: 'json', targetPrefix: 'P', apiVersion: 'v', endpointPrefix: 's' },
      operations: {
        Op: { input: { shape: 'In' }, errors: [{ shape: 'E' }, { shape: 'F' }] },
        New: { input: { shape: 'NewIn' }, output: { shape: 'In' }, authtype: 'none' },
      },
      shapes: {
        In: { type: 'structure', members: { A: { shape: 'S' }, B: { shape: 'S' } } },
        NewIn: { type: 'structure', required: ['X'], members: { X: { shape: 'S' } } },
        S: { type: 'string', max: 6, pattern: 'a+' },
        E: { type: 'structure', members: {}, exception: true },
        F: { type: 'structure', members: {}, exception: true, fault: true },
      },
    });
    const { facts, report } = mergeFacts(base, newer);
    assert.deepEqual(report.addedOperations, ['New']);
    assert.deepEqual(facts.operations.get('New'), { input: 'NewIn', output: 'In', unsigned: true, errors: [] });
    assert.deepEqual(facts.operations.get('Op')?.errors, ['E', 'F']);
    assert.deepEqual([...report.addedErrors], [['F', ['Op']]]);
    assert.deepEqual(facts.shapes.get('S'), { type: 'string', min: 0, max: 6, pattern: '^a+$' });
    assert.deepEqual(facts.shapes.get('In'), { type: 'structure', members: { A: { target: 'S' }, B: { target: 'S' } } });
    assert.deepEqual(facts.shapes.get('E'), { type: 'structure', members: {}, error: 'client', httpError: 404 });
    assert.deepEqual(facts.shapes.get('F'), { type: 'structure', members: {}, error: 'server' });
    assert.deepEqual(report.changedShapes, [
      'In.B: new member (S)',
      'In: member A required true -> false',
      'S: max 5 -> 6',
    ]);

    const disagreeing = { ...newer, operations: new Map([['Op', { input: 'Other', output: null, unsigned: false, errors: [] }]]) };
    assert.throws(() => mergeFacts(base, disagreeing), /disagree/);
  });
});

describe('gen-model --check', () => {
  it('passes on the committed output (or skips without the model)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/gen-model.ts'), '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    if (existsSync(DEFAULT_MODEL_PATH) && existsSync(DEFAULT_BOTOCORE_PATH)) assert.match(r.stdout, /up to date \(129 operations/);
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
