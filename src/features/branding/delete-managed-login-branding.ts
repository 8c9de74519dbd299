import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { brandingNotFound } from './managed-login-branding.js';

export const deleteManagedLoginBranding: Operation<'DeleteManagedLoginBranding', 'store'> = (deps) => async (input) => {
  await loadPool(deps.store, input.UserPoolId);
  if (!(await deps.store.deleteBrandingItem(input.UserPoolId, 'style', input.ManagedLoginBrandingId))) throw brandingNotFound();
  return {};
};
