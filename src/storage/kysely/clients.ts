import type { Selectable } from 'kysely';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { ClientsPort } from '../../ports/clients.js';
import type { Page } from '../../ports/page.js';
import type { Database } from '../schema.js';
import { KyselyContext } from './context.js';
import { deepFreeze } from '../read-cache.js';

export class KyselyClients extends KyselyContext implements ClientsPort {
  async insertClient(client: ClientRecord): Promise<void> {
    await this.db.insertInto('user_pool_clients').values(clientRow(client)).execute();
  }

  // Every public request (InitiateAuth, SignUp, ForgotPassword, ...) reads its app client: kept by
  // the read cache, forgotten by any change to the table (read-cache.ts). Frozen either way, so
  // code that would change a client it read fails on every dialect.
  async getClient(id: string): Promise<ClientRecord | undefined> {
    const load = async () => {
      const [row] = (await this.q.clientById(this.db, { id })).rows;
      return row && deepFreeze(clientFromRow(row));
    };
    return this.cache ? this.cache.read('user_pool_clients', `c:${id}`, load, this.inTransaction) : load();
  }

  async updateClient(client: ClientRecord): Promise<void> {
    await this.db.updateTable('user_pool_clients').set(clientRow(client)).where('id', '=', client.id).execute();
  }

  async deleteClient(id: string): Promise<void> {
    // A client's own risk configuration (SetRiskConfiguration with ClientId) goes with it.
    await this.db.deleteFrom('risk_configurations').where('client_id', '=', id).execute();
    await this.db.deleteFrom('user_pool_clients').where('id', '=', id).execute();
  }

  async listClients(poolId: string, page: Page): Promise<ClientRecord[]> {
    let q = this.db.selectFrom('user_pool_clients').selectAll().where('pool_id', '=', poolId).orderBy('id').limit(page.limit);
    if (page.after !== undefined) q = q.where('id', '>', page.after);
    return (await q.execute()).map(clientFromRow);
  }
}

/** The active secrets, oldest first, fill the row's two secret slots (migration 20261206-3). */
function clientRow(client: ClientRecord) {
  const [first, second, ...more] = client.clientSecrets;
  if (more.length > 0) throw new Error(`client ${client.id}: a client keeps at most two secrets`);
  return {
    id: client.id,
    pool_id: client.poolId,
    name: client.name,
    secret_sealed: first?.sealed ?? null,
    secret_created_at: first?.createdAt ?? null,
    second_secret_sealed: second?.sealed ?? null,
    second_secret_created_at: second?.createdAt ?? null,
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
    clientSecrets: secretsFromRow(row),
    settings: JSON.parse(row.settings) as ClientRecord['settings'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function secretsFromRow(row: Selectable<Database['user_pool_clients']>): ClientRecord['clientSecrets'] {
  const secrets = [];
  // A row restored from a dump made before the slots had times falls back to the client's own.
  if (row.secret_sealed !== null) secrets.push({ sealed: row.secret_sealed, createdAt: Number(row.secret_created_at ?? row.created_at) });
  if (row.second_secret_sealed !== null) secrets.push({ sealed: row.second_secret_sealed, createdAt: Number(row.second_secret_created_at ?? row.created_at) });
  return secrets;
}
