import type { Selectable } from 'kysely';
import type { CredentialRecord, CredentialsPort } from '../../ports/credentials.js';
import type { Page } from '../../ports/page.js';
import type { Database } from '../schema.js';
import { KyselyContext } from './context.js';

const CREDENTIALS_KEY = 'credentials:any';

export class KyselyCredentials extends KyselyContext implements CredentialsPort {
  async insertCredential(c: CredentialRecord): Promise<void> {
    await this.db
      .insertInto('credentials')
      .values({ access_key_id: c.accessKeyId, name: c.name, arn: c.arn, secret_sealed: c.secretSealed, policy: c.policy, created_at: c.createdAt })
      .execute();
    this.cache?.drop(CREDENTIALS_KEY);
  }

  async hasCredentials(): Promise<boolean> {
    const load = async () => (await this.q.anyCredential(this.db, {})).rows.length > 0;
    // "No" is kept too: a server without credentials (dev mode) asks on every signed request.
    return (await (this.cache ? this.cache.read('credentials', CREDENTIALS_KEY, load, this.inTransaction) : load())) ?? false;
  }

  async getCredential(accessKeyId: string): Promise<CredentialRecord | undefined> {
    const row = await this.db.selectFrom('credentials').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return row && credentialFromRow(row);
  }

  async listCredentials(page: Page): Promise<CredentialRecord[]> {
    let q = this.db.selectFrom('credentials').selectAll().orderBy('access_key_id').limit(page.limit);
    if (page.after !== undefined) q = q.where('access_key_id', '>', page.after);
    return (await q.execute()).map(credentialFromRow);
  }
}

function credentialFromRow(row: Selectable<Database['credentials']>): CredentialRecord {
  return {
    accessKeyId: row.access_key_id,
    name: row.name,
    arn: row.arn,
    secretSealed: row.secret_sealed,
    policy: row.policy,
    createdAt: Number(row.created_at),
  };
}
