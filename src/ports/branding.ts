import type { BrandingItem, BrandingKind } from '../domain/branding/branding-item.js';

/** Managed login configuration (UI customization, branding styles, terms), by pool and kind. */
export interface BrandingPort {
  getBrandingItem(poolId: string, kind: BrandingKind, itemId: string): Promise<BrandingItem | undefined>;
  /** The pool's items of a kind, ordered by item id. */
  listBrandingItems(poolId: string, kind: BrandingKind): Promise<BrandingItem[]>;
  /** Inserts or replaces the item with the same pool, kind and item id. */
  putBrandingItem(item: BrandingItem): Promise<void>;
  /** True when an item was deleted. */
  deleteBrandingItem(poolId: string, kind: BrandingKind, itemId: string): Promise<boolean>;
}
