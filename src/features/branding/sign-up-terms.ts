import type { BrandingPort } from '../../ports/branding.js';
import { termsView } from './terms.js';

/**
 * The terms links the sign-up page shows for a client: the terms of use and the privacy policy
 * (CreateTerms), shown once both exist (cognito-facts-areas.md 4.9), each the link for the
 * page's language or else the `cognito:default` one.
 */
export async function signUpTermsLinks(store: Pick<BrandingPort, 'listBrandingItems'>, poolId: string, clientId: string, language = 'en'): Promise<{ termsOfUse: string; privacyPolicy: string } | undefined> {
  const items = (await store.listBrandingItems(poolId, 'terms')).filter((item) => item.clientId === clientId);
  const linkOf = (name: string) => {
    const item = items.find((i) => i.name === name);
    if (!item) return undefined;
    const links = termsView(item).Links ?? {};
    return links[language] ?? links['cognito:default'] ?? Object.values(links)[0];
  };
  const termsOfUse = linkOf('terms-of-use');
  const privacyPolicy = linkOf('privacy-policy');
  return termsOfUse !== undefined && privacyPolicy !== undefined ? { termsOfUse, privacyPolicy } : undefined;
}
