import type { BrandingItem, BrandingKind } from '../../domain/branding/branding-item.js';
import type { BrandingPort } from '../../ports/branding.js';
import type { BrandingItemsTable } from '../schema.js';
import { KyselyContext } from './context.js';

function toItem(row: BrandingItemsTable): BrandingItem {
  return {
    poolId: row.pool_id,
    kind: row.kind as BrandingKind,
    itemId: row.item_id,
    clientId: row.client_id,
    name: row.name,
    document: row.document,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class KyselyBranding extends KyselyContext implements BrandingPort {
  async getBrandingItem(poolId: string, kind: BrandingKind, itemId: string): Promise<BrandingItem | undefined> {
    const row = await this.db.selectFrom('branding_items').selectAll().where('pool_id', '=', poolId).where('kind', '=', kind).where('item_id', '=', itemId).executeTakeFirst();
    return row && toItem(row);
  }

  async listBrandingItems(poolId: string, kind: BrandingKind): Promise<BrandingItem[]> {
    const rows = await this.db.selectFrom('branding_items').selectAll().where('pool_id', '=', poolId).where('kind', '=', kind).orderBy('item_id').execute();
    return rows.map(toItem);
  }

  async putBrandingItem(item: BrandingItem): Promise<void> {
    const row = {
      pool_id: item.poolId,
      kind: item.kind,
      item_id: item.itemId,
      client_id: item.clientId,
      name: item.name,
      document: item.document,
      created_at: item.createdAt,
      updated_at: item.updatedAt,
    };
    await this.db
      .insertInto('branding_items')
      .values(row)
      .onConflict((oc) => oc.columns(['pool_id', 'kind', 'item_id']).doUpdateSet({ client_id: row.client_id, name: row.name, document: row.document, updated_at: row.updated_at }))
      .execute();
  }

  async deleteBrandingItem(poolId: string, kind: BrandingKind, itemId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('branding_items').where('pool_id', '=', poolId).where('kind', '=', kind).where('item_id', '=', itemId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
