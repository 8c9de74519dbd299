import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { termsNotFound } from './terms.js';

export const deleteTerms: Operation<'DeleteTerms', 'store'> = (deps) => async (input) => {
  await loadPool(deps.store, input.UserPoolId);
  if (!(await deps.store.deleteBrandingItem(input.UserPoolId, 'terms', input.TermsId))) throw termsNotFound();
  return {};
};
