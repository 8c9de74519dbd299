/**
 * A stored piece of managed-login configuration: a classic UI customization ('ui', keyed by
 * client id or ALL), a managed login branding style ('style', one per client) or a terms
 * document ('terms', one per client and TermsName). `document` holds the operation's own
 * fields as JSON, so the three share one table.
 */
export type BrandingKind = 'ui' | 'style' | 'terms';

export interface BrandingItem {
  poolId: string;
  kind: BrandingKind;
  itemId: string;
  clientId: string;
  name: string;
  document: string;
  createdAt: number;
  updatedAt: number;
}
