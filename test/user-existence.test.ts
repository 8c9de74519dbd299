import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type AttributeType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store, StoreTx } from '../src/ports/store.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

/**
 * Security review finding 4: with PreventUserExistenceErrors=ENABLED, nothing a caller can see
 * (the masked destination, the error of ConfirmForgotPassword, the limits, the work done) may
 * tell an unknown name from a real user.
 */

const PASSWORD = 'Correct-Horse-1';
const NEW_PASSWORD = 'Battery-Staple-2';
const EMAIL_MASK = /^[^*@]\*\*\*@[^*@]\*\*\*$/u;
const PHONE_MASK = /^\+\*{5,}\d{4}$/u;

/** Runs `fn` and gives the AWS error name it failed with ('ok' when it succeeded). */
async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    return (err as Error).name;
  }
}

for (const dialect of E2E_DIALECTS) describe(`user existence stays hidden (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  async function hiddenPool(settings: Partial<CreateUserPoolCommandInput> = {}) {
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'hidden', ...settings }));
    const poolId = created.UserPool?.Id as string;
    const client = await server.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', PreventUserExistenceErrors: 'ENABLED', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
    );
    return { poolId, clientId: client.UserPoolClient?.ClientId as string };
  }

  async function confirmedUser(poolId: string, username: string, attributes: AttributeType[]) {
    await server.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, UserAttributes: attributes, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp-Pass-1' }),
    );
    await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  const verifiedEmail = (address: string): AttributeType[] => [
    { Name: 'email', Value: address },
    { Name: 'email_verified', Value: 'true' },
  ];
  const forgot = (clientId: string, username: string) => server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  const confirmReset = (clientId: string, username: string, code: string, password = NEW_PASSWORD) =>
    server.client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: password }));

  it('invents a masked email for an unknown name, stable per name and in the format of a real one', async () => {
    const { poolId, clientId } = await hiddenPool();
    await confirmedUser(poolId, 'alice', verifiedEmail('alice@gmail.com'));
    const real = await forgot(clientId, 'alice');
    assert.deepEqual(real.CodeDeliveryDetails, { Destination: 'a***@g***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });

    const names = ['bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent'];
    const domains = new Set<string>();
    for (const name of names) {
      const first = (await forgot(clientId, name)).CodeDeliveryDetails;
      assert.equal(first?.DeliveryMedium, 'EMAIL');
      assert.equal(first?.AttributeName, 'email');
      assert.match(first?.Destination ?? '', EMAIL_MASK);
      assert.equal(first?.Destination?.[0], name[0], 'an address mostly starts like the name');
      // The same name always gets the same answer, as a real user does.
      assert.deepEqual((await forgot(clientId, name)).CodeDeliveryDetails, first);
      domains.add((first?.Destination ?? '').split('@')[1] ?? '');
    }
    // Not one fixed domain letter (it was always `e***`), which marked every invented answer.
    assert.ok(domains.size > 1, `every unknown name got the domain ${[...domains].join()}`);
    assert.equal((await server.app.deps.store.listMessages({ poolId, limit: 100 })).length, 1, 'only the real user got a message');
  });

  it('invents a masked phone number in a pool that recovers by SMS', async () => {
    const { poolId, clientId } = await hiddenPool({ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_phone_number', Priority: 1 }] } });
    await confirmedUser(poolId, 'pat', [
      { Name: 'phone_number', Value: '+15555550123' },
      { Name: 'phone_number_verified', Value: 'true' },
    ]);
    const real = await forgot(clientId, 'pat');
    assert.deepEqual(real.CodeDeliveryDetails, { Destination: '+*******0123', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    const endings = new Set<string>();
    for (const name of ['quinn', 'robin', 'sam', 'toni', 'uma', 'vic']) {
      const details = (await forgot(clientId, name)).CodeDeliveryDetails;
      assert.equal(details?.DeliveryMedium, 'SMS');
      assert.equal(details?.AttributeName, 'phone_number');
      assert.match(details?.Destination ?? '', PHONE_MASK);
      assert.deepEqual((await forgot(clientId, name)).CodeDeliveryDetails, details);
      endings.add((details?.Destination ?? '').slice(-4));
    }
    // Not one fixed ending (it was always 0000).
    assert.ok(endings.size > 1, `every unknown name ended in ${[...endings].join()}`);
  });

  it('answers ConfirmForgotPassword for an unknown or disabled name exactly as for a real user', async () => {
    const { poolId, clientId } = await hiddenPool();
    await confirmedUser(poolId, 'walter', verifiedEmail('walter@example.com'));
    await confirmedUser(poolId, 'victor', verifiedEmail('victor@example.com'));
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'victor' }));
    const names = ['walter', 'nobody', 'victor'];
    const each = async (fn: (name: string) => Promise<unknown>) => Promise.all(names.map(async (name) => outcome(() => fn(name))));

    // A password against the policy is refused first, whoever the name is (it was
    // InvalidPasswordException for real users only, CodeMismatchException for the rest).
    assert.deepEqual(await each((n) => confirmReset(clientId, n, '123456', 'short1')), Array(3).fill('InvalidPasswordException'));
    await expectAwsError(() => confirmReset(clientId, 'nobody', '123456', 'short1'), 'InvalidPasswordException');
    // No code requested: ExpiredCodeException for everybody, as AWS answers a real user.
    assert.deepEqual(await each((n) => confirmReset(clientId, n, '123456')), Array(3).fill('ExpiredCodeException'));
    await expectAwsError(() => confirmReset(clientId, 'nobody', '123456'), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
    // Once a code is requested: a wrong one is a mismatch for everybody.
    for (const name of names) await forgot(clientId, name);
    // Anything but the real code (one chance in a million to hit it); the unknown names have none to hit.
    const wrong = (name: string) => confirmReset(clientId, name, '000000');
    assert.deepEqual(await each(wrong), Array(3).fill('CodeMismatchException'));
    await expectAwsError(() => wrong('nobody'), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    // Five attempts an hour (--code-attempt-limit) for every name, counted the same way.
    const counted: Record<string, number> = { walter: 2, nobody: 4, victor: 2 };
    for (const name of names) {
      for (let i = counted[name] ?? 0; i < 5; i++) await expectAwsError(() => wrong(name), 'CodeMismatchException');
    }
    assert.deepEqual(await each(wrong), Array(3).fill('LimitExceededException'));
    await expectAwsError(() => wrong('nobody'), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
  });

  it('limits ForgotPassword requests of an unknown name at the same count as a real user', async () => {
    const { poolId, clientId } = await hiddenPool();
    await confirmedUser(poolId, 'kim', verifiedEmail('kim@example.com'));
    for (const name of ['kim', 'ghost']) {
      for (let i = 0; i < 5; i++) await forgot(clientId, name);
      await expectAwsError(() => forgot(clientId, name), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    }
    // Case-insensitive lookups are not a way around it: the stand-in is keyed by the name as looked up.
    const folded = await hiddenPool({ UsernameConfiguration: { CaseSensitive: false } });
    for (let i = 0; i < 5; i++) await forgot(folded.clientId, i % 2 === 0 ? 'Ghost' : 'GHOST');
    await expectAwsError(() => forgot(folded.clientId, 'ghost'), 'LimitExceededException');
  });

  it('does the same store work for an unknown name as for a real user, short of queueing the message', async () => {
    const store = server.app.deps.store;
    const { poolId, clientId } = await hiddenPool();
    await confirmedUser(poolId, 'uma', verifiedEmail('uma@example.com'));
    // Warm whatever caches the first calls fill (client, pool).
    await forgot(clientId, 'uma');
    await forgot(clientId, 'ursula');
    // The audit log resolves a new client's pool once, when it first writes: done here, not while recording.
    await server.app.audit.flush();

    const recorder = recordStoreCalls(store);
    try {
      await forgot(clientId, 'uma');
      const real = recorder.take();
      await forgot(clientId, 'ursula');
      const unknown = recorder.take();
      assert.ok(real.includes('enqueueMessage'), real.join(', '));
      assert.deepEqual(unknown, real.filter((call) => call !== 'enqueueMessage'));
    } finally {
      recorder.stop();
    }
  });

  it('hides unknown names in ResendConfirmationCode and ConfirmSignUp, limits included', async () => {
    const { poolId, clientId } = await hiddenPool({ AutoVerifiedAttributes: ['email'] });
    await server.client.send(
      new SignUpCommand({ ClientId: clientId, Username: 'newbie', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'newbie@example.com' }] }),
    );
    const resend = (name: string) => server.client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: name }));
    const confirm = (name: string) => server.client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: name, ConfirmationCode: '000000' }));

    const invented = (await resend('nemo')).CodeDeliveryDetails;
    assert.match(invented?.Destination ?? '', EMAIL_MASK);
    assert.deepEqual((await resend('nemo')).CodeDeliveryDetails, invented);
    const domains = new Set<string>();
    for (const name of ['ann', 'ben', 'cid', 'dan', 'eve', 'fay', 'gus', 'hal', 'ida', 'jon', 'kai', 'lou']) {
      domains.add(((await resend(name)).CodeDeliveryDetails?.Destination ?? '').split('@')[1] ?? '');
    }
    assert.ok(domains.size > 1, `every unknown name got the domain ${[...domains].join()}`);

    // Five resends an hour for the real user and for the unknown name alike (2 done for nemo).
    for (let i = 0; i < 5; i++) await resend('newbie');
    for (let i = 0; i < 3; i++) await resend('nemo');
    await expectAwsError(() => resend('newbie'), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    await expectAwsError(() => resend('nemo'), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');

    // Fifteen wrong sign-up codes an hour, for both.
    for (const name of ['newbie', 'nemo']) {
      for (let i = 0; i < 15; i++) await expectAwsError(() => confirm(name), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
      await expectAwsError(() => confirm(name), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    }
    assert.equal((await server.app.deps.store.listMessages({ poolId, username: 'nemo', limit: 10 })).length, 0);
  });
});

/**
 * Records the names of the store methods an operation calls, directly or in a transaction
 * ('transaction' marks where one starts). Background work (the delivery worker, the audit log,
 * the sweeper, the import runner's claim of a job) is left out: it is not the request's. A
 * transaction is marked when its first call that is not background work is made, so a background
 * transaction that lands during a request leaves no mark.
 */
function recordStoreCalls(store: Store) {
  const BACKGROUND = new Set(['claimMessages', 'updateMessage', 'appendAudit', 'sweep', 'listMessages', 'listAudit', 'claimImportJob']);
  let calls: string[] = [];
  const record = <T extends object>(target: T): T => {
    let marked = false;
    return new Proxy(target, {
      get(t, name, receiver) {
        const value: unknown = Reflect.get(t, name, receiver);
        if (typeof value !== 'function' || typeof name !== 'string') return value;
        return (...args: unknown[]) => {
          if (!BACKGROUND.has(name)) {
            if (!marked) calls.push('transaction');
            marked = true;
            calls.push(name);
          }
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  };
  const methods = new Set<string>();
  for (let proto: object | null = Object.getPrototypeOf(store) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor') methods.add(name);
  }
  for (const name of Object.keys(store)) if (typeof (store as unknown as Record<string, unknown>)[name] === 'function') methods.add(name);
  const target = store as unknown as Record<string, (...args: unknown[]) => unknown>;
  const own = new Map<string, PropertyDescriptor | undefined>();
  for (const name of methods) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    own.set(name, Object.getOwnPropertyDescriptor(store, name));
    target[name] =
      name === 'transaction'
        ? (fn: unknown) => original.call(store, (tx: StoreTx) => (fn as (tx: StoreTx) => Promise<unknown>)(record(tx)))
        : (...args: unknown[]) => {
            if (!BACKGROUND.has(name)) calls.push(name);
            return original.apply(store, args);
          };
  }
  return {
    take(): string[] {
      const taken = calls;
      calls = [];
      return taken;
    },
    stop(): void {
      for (const [name, descriptor] of own) {
        if (descriptor) Object.defineProperty(store, name, descriptor);
        else delete target[name];
      }
    },
  };
}
