import type { BrandingItem } from '../../domain/branding/branding-item.js';
import { ServiceError, resourceNotFound } from '../../kernel/errors.js';
import type { TermsDescriptionType, TermsType } from '../../model/generated/types.js';

interface TermsDocument {
  links: Record<string, string>;
}

/**
 * TermsName (terms-of-use|privacy-policy), Links (1-13, keys cognito:default or a language)
 * and the only TermsSource/Enforcement (LINK/NONE) are the model's own rules, checked by
 * http/api/validate.ts before any operation runs (cognito-facts-areas.md 4.9). The error texts
 * below are not documented (unverified wording).
 */
export const termsNotFound = () => resourceNotFound('Terms do not exist.');
export const termsExist = () => new ServiceError('TermsExistsException', 'Terms with this name already exist for this app client.');

export function termsDocument(links: Record<string, string>): string {
  return JSON.stringify({ links } satisfies TermsDocument);
}

export function termsView(item: BrandingItem): TermsType {
  const doc = JSON.parse(item.document) as TermsDocument;
  return {
    TermsId: item.itemId,
    UserPoolId: item.poolId,
    ClientId: item.clientId,
    TermsName: item.name,
    TermsSource: 'LINK',
    Enforcement: 'NONE',
    Links: doc.links,
    CreationDate: item.createdAt / 1000,
    LastModifiedDate: item.updatedAt / 1000,
  };
}

export function termsDescription(item: BrandingItem): TermsDescriptionType {
  return { TermsId: item.itemId, TermsName: item.name, Enforcement: 'NONE', CreationDate: item.createdAt / 1000, LastModifiedDate: item.updatedAt / 1000 };
}
