import type { BrandingItem } from '../../domain/branding/branding-item.js';
import { invalidParameter, resourceNotFound } from '../../kernel/errors.js';
import type { AssetType, ManagedLoginBrandingType } from '../../model/generated/types.js';

interface StyleDocument {
  useCognitoProvidedValues: boolean;
  settings?: unknown;
  assets?: AssetType[];
}

export const brandingNotFound = () => resourceNotFound('Managed login branding does not exist.');

/**
 * UseCognitoProvidedValues excludes Settings and Assets (cognito-facts-areas.md 4.9); the
 * model bounds Assets (40) and their Bytes. The text is not documented (unverified wording).
 */
export function styleDocument(useCognito: boolean | undefined, settings: unknown, assets: AssetType[] | undefined): StyleDocument {
  if (useCognito && (settings !== undefined || assets !== undefined)) {
    throw invalidParameter('Settings and Assets cannot be given when UseCognitoProvidedValues is true.');
  }
  return { useCognitoProvidedValues: useCognito === true, ...(settings !== undefined && { settings }), ...(assets !== undefined && { assets }) };
}

export function styleView(item: BrandingItem): ManagedLoginBrandingType {
  const doc = JSON.parse(item.document) as StyleDocument;
  return {
    ManagedLoginBrandingId: item.itemId,
    UserPoolId: item.poolId,
    UseCognitoProvidedValues: doc.useCognitoProvidedValues,
    ...(doc.settings !== undefined && { Settings: doc.settings }),
    Assets: doc.assets ?? [],
    CreationDate: item.createdAt / 1000,
    LastModifiedDate: item.updatedAt / 1000,
  };
}
