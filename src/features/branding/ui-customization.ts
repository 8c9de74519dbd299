import type { BrandingItem } from '../../domain/branding/branding-item.js';
import { invalidParameter } from '../../kernel/errors.js';
import type { UICustomizationType } from '../../model/generated/types.js';
import type { BrandingPort } from '../../ports/branding.js';

/** The ClientId that names the pool's default customization. */
export const ALL_CLIENTS = 'ALL';

/**
 * The classes the classic hosted UI lets CSS style
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/hosted-ui-classic-branding.html).
 */
const ALLOWED_CLASSES = new Set([
  'background-customizable',
  'banner-customizable',
  'errorMessage-customizable',
  'idpButton-customizable',
  'inputField-customizable',
  'label-customizable',
  'legalText-customizable',
  'logo-customizable',
  'submitButton-customizable',
  'textDescription-customizable',
]);

/** Logo size limit, 100 KB (cognito-facts-areas.md 4.9). */
const MAX_IMAGE_BYTES = 100 * 1024;

interface UIDocument {
  css?: string;
  image?: string;
}

/**
 * Rejects CSS that styles a class the hosted UI does not offer (the size limit, 131072, is the
 * model's, checked by http/api/validate.ts). The text is not documented (unverified wording).
 */
export function checkCss(css: string): void {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const block of withoutComments.split('}')) {
    const selectors = block.split('{')[0]?.trim();
    if (!selectors) continue;
    for (const selector of selectors.split(',')) {
      const name = /^\.([A-Za-z0-9_-]+)(:(hover|focus))?$/.exec(selector.trim())?.[1];
      if (!name || !ALLOWED_CLASSES.has(name)) throw invalidParameter(`${selector.trim()} is not a valid class.`);
    }
  }
}

/** Accepts PNG or JPEG up to 100 KB (AWS's logo formats: png, jpg, jpeg). */
export function checkImage(bytes: Buffer): void {
  if (bytes.length > MAX_IMAGE_BYTES) throw invalidParameter('The image file must be at most 100 KB.');
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!png && !jpeg) throw invalidParameter('The image file must be a PNG or JPEG image.');
}

export function uiDocument(item: BrandingItem): UIDocument {
  return JSON.parse(item.document) as UIDocument;
}

/** The UICustomizationType of a stored item (no ImageUrl: the logo is kept, not served). */
export function uiView(poolId: string, clientId: string, item: BrandingItem | undefined): UICustomizationType {
  if (!item) return { UserPoolId: poolId, ClientId: clientId };
  const doc = uiDocument(item);
  return {
    UserPoolId: poolId,
    ClientId: item.itemId,
    ...(doc.css !== undefined && { CSS: doc.css }),
    CSSVersion: String(item.updatedAt),
    CreationDate: item.createdAt / 1000,
    LastModifiedDate: item.updatedAt / 1000,
  };
}

/**
 * The CSS the managed login pages apply for a client: its own customization, else the pool's.
 * Every `<` becomes the CSS escape `\3c `, so the text cannot close the page's <style> element.
 */
export async function pageCss(store: Pick<BrandingPort, 'getBrandingItem'>, poolId: string, clientId: string): Promise<string> {
  const item = (await store.getBrandingItem(poolId, 'ui', clientId)) ?? (await store.getBrandingItem(poolId, 'ui', ALL_CLIENTS));
  const css = item ? uiDocument(item).css : undefined;
  return (css ?? '').replace(/</g, '\\3c ');
}
