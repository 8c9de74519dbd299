import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { termsDocument, termsExist, termsView } from './terms.js';

/** A client's terms-of-use or privacy-policy links: one of each per client (TermsExistsException). */
export const createTerms: Operation<'CreateTerms', 'store' | 'clock' | 'random'> = (deps) => async (input) => {
  const links = input.Links ?? {};
  return deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    await loadClient(tx, input.ClientId, input.UserPoolId);
    const existing = await tx.listBrandingItems(input.UserPoolId, 'terms');
    if (existing.some((t) => t.clientId === input.ClientId && t.name === input.TermsName)) throw termsExist();
    const now = deps.clock.nowMs();
    const item = { poolId: input.UserPoolId, kind: 'terms' as const, itemId: deps.random.uuid(), clientId: input.ClientId, name: input.TermsName, document: termsDocument(links), createdAt: now, updatedAt: now };
    await tx.putBrandingItem(item);
    return { Terms: termsView(item) };
  });
};
