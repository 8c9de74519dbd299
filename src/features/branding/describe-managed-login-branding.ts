import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { brandingNotFound, styleView } from './managed-login-branding.js';

export const describeManagedLoginBranding: Operation<'DescribeManagedLoginBranding', 'store'> = (deps) => async (input) => {
  await loadPool(deps.store, input.UserPoolId);
  const item = await deps.store.getBrandingItem(input.UserPoolId, 'style', input.ManagedLoginBrandingId);
  if (!item) throw brandingNotFound();
  return { ManagedLoginBranding: styleView(item) };
};
