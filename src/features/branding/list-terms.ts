import type { Operation } from '../operation.js';
import { invalidParameter } from '../../kernel/errors.js';
import { loadPool } from '../../services/directory/lookups.js';
import { termsDescription } from './terms.js';

/** A pool has at most two terms per client, so pages are cut in memory; NextToken is a TermsId. */
export const listTerms: Operation<'ListTerms', 'store'> = (deps) => async (input) => {
  await loadPool(deps.store, input.UserPoolId);
  const max = input.MaxResults ?? 10;
  const items = await deps.store.listBrandingItems(input.UserPoolId, 'terms');
  let start = 0;
  if (input.NextToken !== undefined) {
    start = items.findIndex((t) => t.itemId === input.NextToken);
    if (start < 0) throw invalidParameter('Invalid pagination token.');
  }
  const page = items.slice(start, start + max);
  const next = items[start + max];
  return { Terms: page.map(termsDescription), ...(next && { NextToken: next.itemId }) };
};
