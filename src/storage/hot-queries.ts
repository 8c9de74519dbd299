import { sql, type Insertable, type Selectable } from 'kysely';
import { precompiled, precompiledList, type Precompiled } from './precompiled.js';
import { AUDIT_CHUNK, AUDIT_COLUMNS } from './kysely/audit-columns.js';
import type { Database } from './schema.js';
import { LISTING_COLUMNS } from './kysely/users.js';

/** The users columns a ListUsers filter compares (`username` compares `username_key`). */
export type ListingFilterColumn = 'username_key' | 'status' | 'email' | 'phone_number' | 'name' | 'given_name' | 'family_name' | 'preferred_username' | 'sub';
type ListingRow = Pick<Selectable<Database['users']>, (typeof LISTING_COLUMNS)[number]>;

/**
 * The queries on the path of nearly every request, each compiled once per store (the SQL
 * differs between dialects, so a store makes its own set). Everything else is built per call.
 */
export function hotQueries() {
  const userByAlias = (column: 'alias_email' | 'alias_phone' | 'alias_preferred_username') =>
    precompiled<{ poolId: string; key: string }, Selectable<Database['users']>>((db, v) =>
      db.selectFrom('users').selectAll().where('pool_id', '=', v.poolId).where(column, '=', v.key),
    );
  /** One compiled query per filter column, made on its first use. */
  const perColumn = <P extends object>(build: (column: ListingFilterColumn) => Precompiled<P, ListingRow>) => {
    const made = new Map<ListingFilterColumn, Precompiled<P, ListingRow>>();
    return (column: ListingFilterColumn): Precompiled<P, ListingRow> => {
      let query = made.get(column);
      if (query === undefined) made.set(column, (query = build(column)));
      return query;
    };
  };
  return {
    /**
     * The first page of ListUsers with `column = value`, as storage/kysely/users.ts builds it
     * (same SQL): the shape nearly every ListUsers call has.
     */
    listingEquals: perColumn((column) =>
      precompiled<{ poolId: string; value: string; limit: number }, ListingRow>((db, v) =>
        db.selectFrom('users').select(LISTING_COLUMNS).where('pool_id', '=', v.poolId).where(column, '=', v.value).orderBy('username_key').limit(v.limit),
      ),
    ),
    /** The first page of ListUsers with `column ^= prefix` (not username), as users.ts builds it. */
    listingPrefix: perColumn((column) =>
      precompiled<{ poolId: string; from: string; upper: string; length: number; prefix: string; limit: number }, ListingRow>((db, v) =>
        db
          .selectFrom('users')
          .select(LISTING_COLUMNS)
          .where('pool_id', '=', v.poolId)
          .where(column, '>=', v.from)
          .where(column, '<', v.upper)
          .where(sql<string>`substr(${sql.ref(column)}, 1, ${v.length})`, '=', v.prefix)
          .orderBy(column)
          .orderBy('username_key')
          .limit(v.limit),
      ),
    ),
    poolById: precompiled<{ id: string }, Selectable<Database['user_pools']>>((db, v) =>
      db.selectFrom('user_pools').selectAll().where('id', '=', v.id),
    ),
    clientById: precompiled<{ id: string }, Selectable<Database['user_pool_clients']>>((db, v) =>
      db.selectFrom('user_pool_clients').selectAll().where('id', '=', v.id),
    ),
    userByUsernameKey: precompiled<{ poolId: string; usernameKey: string }, Selectable<Database['users']>>((db, v) =>
      db.selectFrom('users').selectAll().where('pool_id', '=', v.poolId).where('username_key', '=', v.usernameKey),
    ),
    userBySub: precompiled<{ poolId: string; sub: string }, Selectable<Database['users']>>((db, v) =>
      db.selectFrom('users').selectAll().where('sub', '=', v.sub).where('pool_id', '=', v.poolId),
    ),
    userByAlias: {
      email: userByAlias('alias_email'),
      phone_number: userByAlias('alias_phone'),
      preferred_username: userByAlias('alias_preferred_username'),
    },
    anyCredential: precompiled<Record<string, never>, { access_key_id: string }>((db) =>
      db.selectFrom('credentials').select('access_key_id').limit(1),
    ),
    insertOutbox: precompiled<Insertable<Database['outbox']>, never>((db, v) => db.insertInto('outbox').values(v)),
    /** The user's code for a purpose, replacing the one before (a code per user and purpose). */
    putCode: precompiled<Insertable<Database['codes']>, never>((db, v) =>
      db
        .insertInto('codes')
        .values(v)
        .onConflict((oc) =>
          oc.columns(['user_sub', 'purpose']).doUpdateSet((eb) => ({
            code_hash: eb.ref('excluded.code_hash'),
            expires_at: eb.ref('excluded.expires_at'),
            created_at: eb.ref('excluded.created_at'),
          })),
        ),
    ),
    codeOf: precompiled<{ userSub: string; purpose: string }, Selectable<Database['codes']>>((db, v) =>
      db.selectFrom('codes').selectAll().where('user_sub', '=', v.userSub).where('purpose', '=', v.purpose),
    ),
    deleteCodes: precompiled<{ userSub: string }, never>((db, v) => db.deleteFrom('codes').where('user_sub', '=', v.userSub)),
    /** Every access-token check asks whether its sign-in's refresh token still lives. */
    refreshTokenByOrigin: precompiled<{ originJti: string }, Selectable<Database['refresh_tokens']>>((db, v) =>
      db.selectFrom('refresh_tokens').selectAll().where('origin_jti', '=', v.originJti),
    ),
    revokeUserRefreshTokens: precompiled<{ userSub: string; at: number }, never>((db, v) =>
      db.updateTable('refresh_tokens').set({ revoked_at: v.at }).where('user_sub', '=', v.userSub).where('revoked_at', 'is', null),
    ),
    /** AdminGetUser and GetUser report the user's MFA factors, and every sign-in asks for them. */
    userMfaOf: precompiled<{ poolId: string; userSub: string }, Selectable<Database['user_mfa']>>((db, v) =>
      db.selectFrom('user_mfa').selectAll().where('pool_id', '=', v.poolId).where('user_sub', '=', v.userSub),
    ),
    /** Every code request (ForgotPassword, ResendConfirmationCode, ...) reads and counts its hourly budget. */
    counterByKey: precompiled<{ key: string }, Selectable<Database['counters']>>((db, v) => db.selectFrom('counters').selectAll().where('key', '=', v.key)),
    /**
     * Adds `by` to the counter in the window starting at `windowStart`, or starts it there. Each
     * value is bound once, so the ones used twice come in twice (`sameWindow`, `plus`, ...).
     */
    incrementCounter: precompiled<{ key: string; windowStart: number; by: number; sameWindow: number; plus: number; restart: number; window: number }, { count: number }>(
      (db, v) =>
        db
          .insertInto('counters')
          .values({ key: v.key, window_start: v.windowStart, count: v.by })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({
              count: sql<number>`case when counters.window_start = ${v.sameWindow} then counters.count + ${v.plus} else ${v.restart} end`,
              window_start: v.window,
            }),
          )
          .returning('count'),
    ),
    /** The counter set to `count` in the window starting at `windowStart`, whatever it held (values bound once each, as above). */
    setCounter: precompiled<{ key: string; windowStart: number; count: number; window: number; value: number }, never>((db, v) =>
      db
        .insertInto('counters')
        .values({ key: v.key, window_start: v.windowStart, count: v.count })
        .onConflict((oc) => oc.column('key').doUpdateSet({ window_start: v.window, count: v.value })),
    ),
    resetCounter: precompiled<{ key: string }, never>((db, v) => db.deleteFrom('counters').where('key', '=', v.key)),
    /** A sign-in's refresh token (storage/kysely/refresh-tokens.ts): one per password sign-in. */
    insertRefreshToken: precompiled<Insertable<Database['refresh_tokens']>, never>((db, v) => db.insertInto('refresh_tokens').values(v)),
    insertAudit: precompiled<Insertable<Database['audit_log']>, never>((db, v) =>
      db.insertInto('audit_log').values(v),
    ),
    /**
     * AUDIT_CHUNK audit rows in one INSERT, their values row after row in the order of
     * AUDIT_COLUMNS (storage/kysely/audit.ts).
     */
    insertAuditRows: precompiledList<never>(
      Array.from({ length: AUDIT_CHUNK }, (_, row) => AUDIT_COLUMNS.map((column) => `${row}:${column}`)).flat(),
      (db, v) => {
        const rows = Array.from({ length: AUDIT_CHUNK }, (_, row) => Object.fromEntries(AUDIT_COLUMNS.map((column) => [column, v[`${row}:${column}`]])));
        return db.insertInto('audit_log').values(rows as Insertable<Database['audit_log']>[]);
      },
    ),
  };
}

export type HotQueries = ReturnType<typeof hotQueries>;
