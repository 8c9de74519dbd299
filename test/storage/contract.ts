import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe } from 'node:test';
import { UniqueViolation } from '../../src/ports/unique-violation.js';
import type { AliasKind, UserRecord } from '../../src/domain/users/user.js';
import type { ClientRecord } from '../../src/domain/clients/client.js';
import type { CodeRecord } from '../../src/ports/codes.js';
import type { OutboxRecord } from '../../src/ports/outbox.js';
import type { PoolRecord } from '../../src/domain/pools/pool.js';
import type { RefreshTokenRecord } from '../../src/ports/refresh-tokens.js';
import type { SigningKeyRecord } from '../../src/ports/signing-keys.js';
import type { Store } from '../../src/ports/store.js';
import type { UserQuery } from '../../src/ports/users.js';
import { DIALECTS, type OpenedStore, type TestDialect } from '../support/dialects.js';

// What the store contract files (test/storage/<port>.contract.test.ts) share: the run on every
// dialect with a fresh store per test, and records to store.

/**
 * Registers a port's contract once per dialect (SQLite, and PostgreSQL where reachable), every
 * test on a fresh, empty store that `suite` receives through `onOpen` before each test.
 */
export function storeContract(suite: (onOpen: (use: (opened: OpenedStore) => void) => void, dialect: TestDialect) => void): void {
  for (const dialect of DIALECTS) {
    describe(`store contract: ${dialect.name}`, { skip: dialect.skip }, () => {
      const uses: ((opened: OpenedStore) => void)[] = [];
      let opened: OpenedStore | undefined;
      beforeEach(async () => {
        opened = await dialect.open();
        for (const use of uses) use(opened);
      });
      afterEach(() => opened?.close());
      after(() => dialect.dispose());
      suite((use) => uses.push(use), dialect);
    });
  }
}

// Epoch milliseconds beyond 2^32, so a bigint column read back as a string would show.
export const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

export function pool(id: string, over: Partial<PoolRecord> = {}): PoolRecord {
  return { id, name: `pool ${id}`, settings: { counter: 0, nested: { list: [1, 'two', null] } }, createdAt: T0, updatedAt: T0, ...over };
}

export function client(id: string, poolId: string, over: Partial<ClientRecord> = {}): ClientRecord {
  return { id, poolId, name: `client ${id}`, clientSecrets: [], settings: { flows: ['ALLOW_USER_PASSWORD_AUTH'] }, createdAt: T0, updatedAt: T0, ...over };
}

let subCounter = 0;
export function user(poolId: string, usernameKey: string, over: Partial<UserRecord> & { attributes?: Record<string, string> } = {}): UserRecord {
  const sub = over.sub ?? `sub-${++subCounter}-${usernameKey}`;
  return {
    poolId,
    sub,
    username: usernameKey,
    usernameKey,
    status: 'CONFIRMED',
    enabled: true,
    passwordHash: null,
    passwordUpdatedAt: null,
    srp: null,
    aliases: { email: null, phone_number: null, preferred_username: null },
    createdAt: T0,
    updatedAt: T0,
    ...over,
    attributes: { sub, ...over.attributes },
  };
}

export function code(userSub: string, purpose: string, codeHash: string, over: Partial<CodeRecord> = {}): CodeRecord {
  return { userSub, purpose, poolId: 'p1', codeHash, expiresAt: T0 + 3_600_000, createdAt: T0, ...over };
}

export function message(id: string, over: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    id,
    poolId: 'p1',
    userSub: 'sub-1',
    username: 'alice',
    trigger: 'ForgotPassword',
    channel: 'EMAIL',
    destination: 'alice@example.com',
    payloadSealed: `sealed-${id}`,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: T0,
    claimedBy: null,
    claimedUntil: null,
    lastError: null,
    createdAt: T0,
    deliveredAt: null,
    ...over,
  };
}

export function refreshToken(tokenHash: string, userSub: string, over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    tokenHash,
    poolId: 'p1',
    clientId: 'c1',
    userSub,
    originJti: `jti-${tokenHash}`,
    authTime: T0,
    createdAt: T0,
    expiresAt: T0 + 30 * 86_400_000,
    revokedAt: null,
    ...over,
  };
}

export function signingKey(poolId: string, kid: string): SigningKeyRecord {
  return { poolId, kid, privateJwkSealed: `private-${kid}`, publicJwk: `{"kid":"${kid}"}`, createdAt: T0 };
}

export async function expectUnique(write: Promise<unknown>, constraint: UniqueViolation['constraint']): Promise<void> {
  await assert.rejects(write, (err: unknown) => {
    assert.ok(err instanceof UniqueViolation, `expected UniqueViolation, got ${String(err)}`);
    assert.equal(err.constraint, constraint);
    return true;
  });
}

/** Every page of a listing, following `after` (and `afterValue` for prefix filters on a value column). */
export async function allPages(store: Store, poolId: string, query: Omit<UserQuery, 'after' | 'afterValue'>): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  let afterValue: string | undefined;
  for (let page = 0; page < 50; page++) {
    const rows = await store.listUsers(poolId, { ...query, after, afterValue });
    seen.push(...rows.map((u) => u.usernameKey));
    if (rows.length < query.limit) return seen;
    const last = rows[rows.length - 1] as UserRecord;
    after = last.usernameKey;
    const column = query.filter?.column;
    if (query.filter?.op === '^=' && column !== undefined && column !== 'username') {
      afterValue = column === 'status' ? last.status : column === 'sub' ? last.sub : last.attributes[column];
    }
  }
  throw new Error('paging did not end');
}

export function nullAliases(): Record<AliasKind, string | null> {
  return { email: null, phone_number: null, preferred_username: null };
}

export function byCodePoint(a: string, b: string): number {
  const pa = [...a].map((c) => c.codePointAt(0) as number);
  const pb = [...b].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return (pa[i] as number) - (pb[i] as number);
  }
  return pa.length - pb.length;
}
