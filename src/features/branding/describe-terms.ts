import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { termsNotFound, termsView } from './terms.js';

export const describeTerms: Operation<'DescribeTerms', 'store'> = (deps) => async (input) => {
  await loadPool(deps.store, input.UserPoolId);
  const item = await deps.store.getBrandingItem(input.UserPoolId, 'terms', input.TermsId);
  if (!item) throw termsNotFound();
  return { Terms: termsView(item) };
};
