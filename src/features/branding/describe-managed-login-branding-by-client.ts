import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { brandingNotFound, styleView } from './managed-login-branding.js';

export const describeManagedLoginBrandingByClient: Operation<'DescribeManagedLoginBrandingByClient', 'store'> = (deps) => async (input) => {
  await loadPool(deps.store, input.UserPoolId);
  await loadClient(deps.store, input.ClientId, input.UserPoolId);
  const item = (await deps.store.listBrandingItems(input.UserPoolId, 'style')).find((s) => s.clientId === input.ClientId);
  if (!item) throw brandingNotFound();
  return { ManagedLoginBranding: styleView(item) };
};
