import type { Store, SweepCounts, SweepPolicy } from '../../ports/store.js';
import { KyselyContext } from './context.js';

/**
 * Deletes what nothing reads any more. Each table is one DELETE of at most batchSize rows chosen
 * by a subquery (the portable way to bound a DELETE), in its own implicit transaction, so the
 * SQLite write lock is held briefly. PostgreSQL skips rows another sweeper or a request holds
 * instead of waiting for them.
 */
export class KyselySweep extends KyselyContext implements Pick<Store, 'sweep'> {
  async sweep(now: number, policy: SweepPolicy): Promise<SweepCounts> {
    const limit = policy.batchSize;
    const lock = <Q extends { forUpdate(): { skipLocked(): Q } }>(q: Q): Q => (this.dialect.skipsLockedRows ? q.forUpdate().skipLocked() : q);
    const deleted = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
    const tokenCutoff = now - policy.refreshTokenGraceMs;
    const counterCutoff = now - policy.counterHorizonMs;

    const refreshTokens = deleted(
      await this.db
        .deleteFrom('refresh_tokens')
        .where(
          'token_hash',
          'in',
          lock(
            this.db
              .selectFrom('refresh_tokens')
              .select('token_hash')
              .where((eb) => eb.or([eb('expires_at', '<', tokenCutoff), eb('revoked_at', '<', tokenCutoff)]))
              .limit(limit),
          ),
        )
        .executeTakeFirst(),
    );
    const codes = deleted(
      await this.db
        .deleteFrom('codes')
        .where(({ eb, refTuple }) =>
          eb(refTuple('user_sub', 'purpose'), 'in', lock(this.db.selectFrom('codes').select(['user_sub', 'purpose']).where('expires_at', '<=', now).limit(limit)).$asTuple('user_sub', 'purpose')),
        )
        .executeTakeFirst(),
    );
    const counters = deleted(
      await this.db
        .deleteFrom('counters')
        .where('key', 'in', lock(this.db.selectFrom('counters').select('key').where('window_start', '<', counterCutoff).limit(limit)))
        .executeTakeFirst(),
    );
    let outbox = 0;
    if (policy.outboxRetentionMs !== undefined) {
      const cutoff = now - policy.outboxRetentionMs;
      // A failed message records no finish time; its last try was due at next_attempt_at.
      const finished = this.db
        .selectFrom('outbox')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'delivered'), eb('delivered_at', '<', cutoff)]),
            eb.and([eb('state', '=', 'failed'), eb('next_attempt_at', '<', cutoff)]),
          ]),
        )
        .limit(limit);
      outbox = deleted(await this.db.deleteFrom('outbox').where('id', 'in', lock(finished)).executeTakeFirst());
    }
    let auditLog = 0;
    if (policy.auditRetentionMs !== undefined) {
      const cutoff = now - policy.auditRetentionMs;
      const old = this.db.selectFrom('audit_log').select('id').where('at', '<', cutoff).limit(limit);
      auditLog = deleted(await this.db.deleteFrom('audit_log').where('id', 'in', lock(old)).executeTakeFirst());
    }
    const singleUse = deleted(
      await this.db
        .deleteFrom('single_use')
        .where('key', 'in', lock(this.db.selectFrom('single_use').select('key').where('expires_at', '<=', now).limit(limit)))
        .executeTakeFirst(),
    );
    return { refreshTokens, codes, counters, outbox, auditLog, singleUse };
  }
}
