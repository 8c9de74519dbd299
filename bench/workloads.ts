import { randomInt, randomUUID } from 'node:crypto';
import type { OperationName } from '../src/model/generated/operations.js';
import { sequence, type Step } from './load.js';
import { SEEDED_CODE, SEEDED_PASSWORD, seededEmail, seededUsername } from './seed.js';
import type { Preparer } from './sign.js';

/**
 * The workloads, as pre-built request bodies. Users of the range seeded last are split by their
 * number modulo 10 so that the operations that change a user do not disturb each other: 1 is
 * reset by the administrator, 2 asks for a code, 3 confirms a code, 4 signs in with a password,
 * 5 signs in with SRP; lookups and attribute updates use the others.
 */
export const CLASS = { adminReset: 1, forgot: 2, confirm: 3, signIn: 4, srp: 5 } as const;

export interface Scenario {
  name: string;
  /** Which other server also has it (cognito-local has no AdminResetUserPassword). */
  common: boolean;
  /** Whether the argon2 hash bounds it (compared with the raw hash rate rather than with node:http). */
  passwordBound?: boolean;
  /** RS256 signatures per step (the OAuth token workloads): compared with the in-process signing rate. */
  signsPerStep?: number;
  step: Step;
}

export interface WorkloadContext {
  poolId: string;
  clientId: string;
  /** Users [0, size) exist; [from, size) were seeded last and are untouched. */
  size: number;
  from: number;
  /** Users of class CONFIRM that hold SEEDED_CODE. */
  codeHolders: readonly number[];
  prepare: Preparer;
  /** The operations this server lacks. */
  lacks?: ReadonlySet<OperationName>;
}

const NEW_PASSWORD = 'Changed-passw0rd!';
const TEMP_PASSWORD = 'Temp0rary!pass';

/** `n` random user numbers of the class, from the range seeded last. */
export function usersOfClass(ctx: Pick<WorkloadContext, 'from' | 'size'>, cls: number, n: number): number[] {
  const first = ctx.from + ((cls - (ctx.from % 10) + 10) % 10);
  const count = Math.floor((ctx.size - 1 - first) / 10) + 1;
  return Array.from({ length: n }, () => first + 10 * randomInt(0, Math.max(1, count)));
}

/** The classes lookups and attribute updates draw from: those no state-changing scenario owns. */
export const LOOKUP_CLASSES = [0, 6, 7, 8, 9] as const;

/** A user number for lookups: anywhere in the pool, skipping the classes that change state. */
function anyone(size: number): number {
  for (;;) {
    const i = randomInt(0, size);
    if ((LOOKUP_CLASSES as readonly number[]).includes(i % 10)) return i;
  }
}

export async function buildScenarios(ctx: WorkloadContext, quick: boolean): Promise<Scenario[]> {
  const n = quick ? 2_000 : 10_000;
  const { poolId, clientId } = ctx;
  const json = (value: unknown) => JSON.stringify(value);
  const many = (make: (k: number) => unknown, count = n) => Array.from({ length: count }, (_, k) => json(make(k)));
  const run = randomUUID().slice(0, 8);
  const fixed = async (operation: OperationName, bodies: string[], cycle = true) => sequence(await ctx.prepare(operation, bodies), cycle);

  const scenarios: Scenario[] = [
    { name: 'AdminGetUser', common: true, step: await fixed('AdminGetUser', many(() => ({ UserPoolId: poolId, Username: seededUsername(anyone(ctx.size)) }))) },
    {
      name: 'ListUsers email =',
      common: true,
      step: await fixed('ListUsers', many(() => ({ UserPoolId: poolId, Filter: `email = "${seededEmail(anyone(ctx.size))}"` }))),
    },
    {
      // "user123" matches user123, user1230..1239, ...: 11 users at 10k, 111 at 100k; Limit 10
      // keeps the page the same size at every pool size, so only the lookup differs.
      name: 'ListUsers email ^= (Limit 10)',
      common: true,
      step: await fixed('ListUsers', many(() => ({ UserPoolId: poolId, Filter: `email ^= "user${randomInt(100, 1000)}"`, Limit: 10 }))),
    },
    {
      name: 'AdminUpdateUserAttributes',
      common: true,
      step: await fixed(
        'AdminUpdateUserAttributes',
        many((k) => ({ UserPoolId: poolId, Username: seededUsername(anyone(ctx.size)), UserAttributes: [{ Name: 'given_name', Value: `Renamed${k}` }] })),
      ),
    },
    {
      name: 'AdminResetUserPassword',
      common: false,
      step: await fixed('AdminResetUserPassword', usersOfClass(ctx, CLASS.adminReset, n).map((i) => json({ UserPoolId: poolId, Username: seededUsername(i) }))),
    },
    {
      name: 'ForgotPassword',
      common: true,
      step: await fixed('ForgotPassword', usersOfClass(ctx, CLASS.forgot, n).map((i) => json({ ClientId: clientId, Username: seededUsername(i) }))),
    },
    {
      name: 'ConfirmForgotPassword',
      common: true,
      passwordBound: true,
      step: await fixed(
        'ConfirmForgotPassword',
        ctx.codeHolders.map((i) => json({ ClientId: clientId, Username: seededUsername(i), ConfirmationCode: SEEDED_CODE, Password: NEW_PASSWORD })),
        false,
      ),
    },
    {
      name: 'InitiateAuth USER_PASSWORD_AUTH',
      common: true,
      passwordBound: true,
      // Each user once per cycle: attempts in flight count as failures until they succeed, so
      // several at once for one user (likely with 100 users per class at 1,000) hit the lockout.
      step: await fixed(
        'InitiateAuth',
        [...new Set(usersOfClass(ctx, CLASS.signIn, Math.min(n, 2_000)))].map((i) =>
          json({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: seededUsername(i), PASSWORD: SEEDED_PASSWORD } }),
        ),
      ),
    },
    {
      name: 'AdminCreateUser',
      common: true,
      passwordBound: true,
      step: await fixed(
        'AdminCreateUser',
        many(
          (k) => ({
            UserPoolId: poolId,
            Username: `new-${ctx.size}-${run}-${k}`,
            TemporaryPassword: TEMP_PASSWORD,
            DesiredDeliveryMediums: ['EMAIL'],
            UserAttributes: [{ Name: 'email', Value: `new-${ctx.size}-${run}-${k}@example.net` }],
          }),
          quick ? 5_000 : 20_000,
        ),
        false,
      ),
    },
  ];
  return scenarios.filter((s) => !(ctx.lacks?.has(s.name.split(' ')[0] as OperationName) ?? false));
}
