import type { Selectable } from 'kysely';
import type { IdentityProviderRecord, ProviderLinkRecord } from '../../domain/idp/identity-provider.js';
import type { IdentityProviderTypeType } from '../../model/generated/types.js';
import type { IdentityProvidersPort } from '../../ports/identity-providers.js';
import type { Page } from '../../ports/page.js';
import type { IdentityProvidersTable, ProviderLinksTable } from '../schema.js';
import { KyselyContext } from './context.js';
import { unique } from './unique.js';

export class KyselyIdentityProviders extends KyselyContext implements IdentityProvidersPort {
  async insertIdentityProvider(record: IdentityProviderRecord): Promise<void> {
    await unique(this.dialect, this.db, () => this.db.insertInto('identity_providers').values(providerRow(record)).execute());
  }

  async getIdentityProvider(poolId: string, name: string): Promise<IdentityProviderRecord | undefined> {
    const row = await this.db.selectFrom('identity_providers').selectAll().where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return row && providerFromRow(row);
  }

  async identityProviderByIdentifier(poolId: string, identifier: string): Promise<IdentityProviderRecord | undefined> {
    // At most 300 providers a pool, identifiers as JSON text: read them and match here, the
    // same on both dialects (no JSON operators).
    const rows = await this.db.selectFrom('identity_providers').selectAll().where('pool_id', '=', poolId).orderBy('name').execute();
    return rows.map(providerFromRow).find((p) => p.idpIdentifiers.includes(identifier));
  }

  async updateIdentityProvider(record: IdentityProviderRecord): Promise<void> {
    const { pool_id: _pool, name: _name, created_at: _created, ...changes } = providerRow(record);
    await this.db.updateTable('identity_providers').set(changes).where('pool_id', '=', record.poolId).where('name', '=', record.name).execute();
  }

  async deleteIdentityProvider(poolId: string, name: string): Promise<void> {
    await this.db.deleteFrom('identity_providers').where('pool_id', '=', poolId).where('name', '=', name).execute();
  }

  async listIdentityProviders(poolId: string, page: Page): Promise<IdentityProviderRecord[]> {
    let q = this.db.selectFrom('identity_providers').selectAll().where('pool_id', '=', poolId);
    if (page.after !== undefined) q = q.where('name', '>', page.after);
    return (await q.orderBy('name').limit(page.limit).execute()).map(providerFromRow);
  }

  async countIdentityProviders(poolId: string): Promise<number> {
    const row = await this.db.selectFrom('identity_providers').select((eb) => eb.fn.countAll().as('n')).where('pool_id', '=', poolId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insertProviderLink(link: ProviderLinkRecord): Promise<void> {
    const row: ProviderLinksTable = {
      pool_id: link.poolId,
      provider_name: link.providerName,
      attribute_name: link.attributeName,
      attribute_value: link.attributeValue,
      user_sub: link.userSub,
      created_at: link.createdAt,
    };
    await unique(this.dialect, this.db, () => this.db.insertInto('provider_links').values(row).execute());
  }

  async getProviderLink(poolId: string, providerName: string, attributeName: string, attributeValue: string): Promise<ProviderLinkRecord | undefined> {
    const row = await this.db
      .selectFrom('provider_links')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('provider_name', '=', providerName)
      .where('attribute_name', '=', attributeName)
      .where('attribute_value', '=', attributeValue)
      .executeTakeFirst();
    return row && linkFromRow(row);
  }

  async providerLinksOfUser(poolId: string, userSub: string): Promise<ProviderLinkRecord[]> {
    const rows = await this.db.selectFrom('provider_links').selectAll().where('pool_id', '=', poolId).where('user_sub', '=', userSub).orderBy('created_at').orderBy('provider_name').execute();
    return rows.map(linkFromRow);
  }

  async deleteProviderLink(poolId: string, providerName: string, attributeName: string, attributeValue: string): Promise<void> {
    await this.db
      .deleteFrom('provider_links')
      .where('pool_id', '=', poolId)
      .where('provider_name', '=', providerName)
      .where('attribute_name', '=', attributeName)
      .where('attribute_value', '=', attributeValue)
      .execute();
  }
}

function linkFromRow(row: Selectable<ProviderLinksTable>): ProviderLinkRecord {
  return {
    poolId: row.pool_id,
    providerName: row.provider_name,
    attributeName: row.attribute_name,
    attributeValue: row.attribute_value,
    userSub: row.user_sub,
    createdAt: Number(row.created_at),
  };
}

function providerRow(r: IdentityProviderRecord): IdentityProvidersTable {
  return {
    pool_id: r.poolId,
    name: r.name,
    type: r.type,
    details: JSON.stringify(r.details),
    secrets_sealed: r.secretsSealed,
    attribute_mapping: JSON.stringify(r.attributeMapping),
    idp_identifiers: JSON.stringify(r.idpIdentifiers),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

function providerFromRow(row: Selectable<IdentityProvidersTable>): IdentityProviderRecord {
  return {
    poolId: row.pool_id,
    name: row.name,
    type: row.type as IdentityProviderTypeType,
    details: JSON.parse(row.details) as Record<string, string>,
    secretsSealed: row.secrets_sealed,
    attributeMapping: JSON.parse(row.attribute_mapping) as Record<string, string>,
    idpIdentifiers: JSON.parse(row.idp_identifiers) as string[],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
