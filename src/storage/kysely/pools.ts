import type { Selectable } from 'kysely';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { Page } from '../../ports/page.js';
import type { PoolsPort } from '../../ports/pools.js';
import { deepFreeze } from '../read-cache.js';
import type { Database } from '../schema.js';
import { KyselyContext } from './context.js';

const poolKey = (id: string) => `pool:${id}`;

export class KyselyPools extends KyselyContext implements PoolsPort {
  async insertPool(pool: PoolRecord): Promise<void> {
    await this.db.insertInto('user_pools').values(poolRow(pool)).execute();
  }

  async getPool(id: string): Promise<PoolRecord | undefined> {
    const load = async () => {
      const [row] = (await this.q.poolById(this.db, { id })).rows;
      // Frozen whether or not it is cached, so code that would change it fails on every dialect.
      return row && deepFreeze(poolFromRow(row));
    };
    return this.cache ? this.cache.read('user_pools', poolKey(id), load, this.inTransaction) : load();
  }

  async updatePool(pool: PoolRecord): Promise<void> {
    try {
      await this.db.updateTable('user_pools').set(poolRow(pool)).where('id', '=', pool.id).execute();
    } finally {
      // Dropped once the write is done, so a read that began earlier keeps nothing.
      this.cache?.drop(poolKey(pool.id));
    }
  }

  /** Deletes the pool's rows in every table (delivered messages stay as the record of what was sent). */
  async deletePool(id: string): Promise<void> {
    try {
      await this.db.deleteFrom('codes').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('refresh_tokens').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('outbox').where('pool_id', '=', id).where('state', '=', 'pending').execute();
      await this.db.deleteFrom('group_members').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('user_mfa').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('webauthn_credentials').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('devices').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('groups').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('users').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('user_pool_clients').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('signing_keys').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('log_delivery').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('auth_events').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('risk_configurations').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('pool_replicas').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('oauth_domains').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('resource_servers').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('oauth_grants').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('identity_providers').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('provider_links').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('branding_items').where('pool_id', '=', id).execute();
      await this.db.deleteFrom('user_pools').where('id', '=', id).execute();
    } finally {
      this.cache?.drop(poolKey(id));
    }
  }

  async listPools(page: Page): Promise<PoolRecord[]> {
    let q = this.db.selectFrom('user_pools').selectAll().orderBy('id').limit(page.limit);
    if (page.after !== undefined) q = q.where('id', '>', page.after);
    return (await q.execute()).map(poolFromRow);
  }
}

function poolRow(pool: PoolRecord) {
  return { id: pool.id, name: pool.name, settings: JSON.stringify(pool.settings), created_at: pool.createdAt, updated_at: pool.updatedAt };
}

function poolFromRow(row: Selectable<Database['user_pools']>): PoolRecord {
  return {
    id: row.id,
    name: row.name,
    settings: JSON.parse(row.settings) as PoolRecord['settings'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
