import type { Selectable } from 'kysely';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { ClientsPort } from '../../ports/clients.js';
import type { Page } from '../../ports/page.js';
import type { Database } from '../schema.js';
import { KyselyContext } from './context.js';

export class KyselyClients extends KyselyContext implements ClientsPort {
  async insertClient(client: ClientRecord): Promise<void> {
    await this.db.insertInto('user_pool_clients').values(clientRow(client)).execute();
  }

  async getClient(id: string): Promise<ClientRecord | undefined> {
    const [row] = (await this.q.clientById(this.db, { id })).rows;
    return row && clientFromRow(row);
  }

  async updateClient(client: ClientRecord): Promise<void> {
    await this.db.updateTable('user_pool_clients').set(clientRow(client)).where('id', '=', client.id).execute();
  }

  async deleteClient(id: string): Promise<void> {
    await this.db.deleteFrom('user_pool_clients').where('id', '=', id).execute();
  }

  async listClients(poolId: string, page: Page): Promise<ClientRecord[]> {
    let q = this.db.selectFrom('user_pool_clients').selectAll().where('pool_id', '=', poolId).orderBy('id').limit(page.limit);
    if (page.after !== undefined) q = q.where('id', '>', page.after);
    return (await q.execute()).map(clientFromRow);
  }
}

function clientRow(client: ClientRecord) {
  return {
    id: client.id,
    pool_id: client.poolId,
    name: client.name,
    secret_sealed: client.secretSealed,
    settings: JSON.stringify(client.settings),
    created_at: client.createdAt,
    updated_at: client.updatedAt,
  };
}

function clientFromRow(row: Selectable<Database['user_pool_clients']>): ClientRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    name: row.name,
    secretSealed: row.secret_sealed,
    settings: JSON.parse(row.settings) as ClientRecord['settings'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
