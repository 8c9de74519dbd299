import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { termsDocument, termsExist, termsNotFound, termsView } from './terms.js';

/** Renames the terms or replaces their links; a name the client already uses: TermsExistsException. */
export const updateTerms: Operation<'UpdateTerms', 'store' | 'clock'> = (deps) => async (input) => {
  const links = input.Links;
  return deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    const existing = await tx.getBrandingItem(input.UserPoolId, 'terms', input.TermsId);
    if (!existing) throw termsNotFound();
    const name = input.TermsName ?? existing.name;
    if (name !== existing.name) {
      const others = await tx.listBrandingItems(input.UserPoolId, 'terms');
      if (others.some((t) => t.clientId === existing.clientId && t.name === name)) throw termsExist();
    }
    const item = { ...existing, name, ...(links && { document: termsDocument(links) }), updatedAt: deps.clock.nowMs() };
    await tx.putBrandingItem(item);
    return { Terms: termsView(item) };
  });
};
