import type { Selectable } from 'kysely';
import type { MessageQuery, OutboxPort, OutboxRecord } from '../../ports/outbox.js';
import type { OutboxTable } from '../schema.js';
import { KyselyContext } from './context.js';

export class KyselyOutbox extends KyselyContext implements OutboxPort {
  async enqueueMessage(message: OutboxRecord): Promise<void> {
    await this.q.insertOutbox(this.db, outboxRow(message));
  }

  async listMessages(query: MessageQuery): Promise<OutboxRecord[]> {
    let q = this.db.selectFrom('outbox').selectAll();
    if (query.poolId !== undefined) q = q.where('pool_id', '=', query.poolId);
    if (query.username !== undefined) q = q.where('username', '=', query.username);
    if (query.afterId !== undefined) {
      const after = await this.db.selectFrom('outbox').select(['created_at', 'id']).where('id', '=', query.afterId).executeTakeFirst();
      if (after !== undefined) {
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '>', after.created_at),
            eb.and([eb('created_at', '=', after.created_at), eb('id', '>', after.id)]),
          ]),
        );
      }
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.reverse().map(outboxFromRow);
  }

  async claimMessages(
    worker: string,
    now: number,
    claimedUntil: number,
    limit: number,
    channels?: readonly OutboxRecord['channel'][],
  ): Promise<OutboxRecord[]> {
    if (channels !== undefined && channels.length === 0) return [];
    let due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (channels !== undefined) due = due.where('channel', 'in', [...channels]);
    // A read first: most claims find nothing (a wake for a message of another channel, an idle
    // poll), and a read takes no write lock (on SQLite, a BEGIN IMMEDIATE of its own,
    // sqlite-connection.ts) and writes no WAL. What it sees may be gone by the update; the
    // update decides.
    if ((await due.limit(1).executeTakeFirst()) === undefined) return [];
    if (this.dialect.skipsLockedRows) due = due.forUpdate().skipLocked();
    // One statement, so that even outside a transaction two claimers cannot both pick a row
    // between one's select and its update.
    const rows = await this.db
      .updateTable('outbox')
      .set({ claimed_by: worker, claimed_until: claimedUntil })
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return rows.map(outboxFromRow).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async updateMessage(message: OutboxRecord): Promise<void> {
    const { id, ...changes } = outboxRow(message);
    await this.db.updateTable('outbox').set(changes).where('id', '=', id).execute();
  }
}

function outboxRow(m: OutboxRecord): OutboxTable {
  return {
    id: m.id,
    pool_id: m.poolId,
    user_sub: m.userSub,
    username: m.username,
    trigger: m.trigger,
    channel: m.channel,
    destination: m.destination,
    payload_sealed: m.payloadSealed,
    state: m.state,
    attempts: m.attempts,
    next_attempt_at: m.nextAttemptAt,
    claimed_by: m.claimedBy,
    claimed_until: m.claimedUntil,
    last_error: m.lastError,
    created_at: m.createdAt,
    delivered_at: m.deliveredAt,
  };
}

function outboxFromRow(row: Selectable<OutboxTable>): OutboxRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    userSub: row.user_sub,
    username: row.username,
    trigger: row.trigger,
    channel: row.channel as OutboxRecord['channel'],
    destination: row.destination,
    payloadSealed: row.payload_sealed,
    state: row.state as OutboxRecord['state'],
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    claimedBy: row.claimed_by,
    claimedUntil: row.claimed_until === null ? null : Number(row.claimed_until),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
  };
}
