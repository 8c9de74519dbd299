import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { ALL_CLIENTS, uiView } from './ui-customization.js';

/** A client's customization, else the pool's (ClientId ALL), else only the ids. */
export const getUICustomization: Operation<'GetUICustomization', 'store'> = (deps) => async (input) => {
  const clientId = input.ClientId ?? ALL_CLIENTS;
  return deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    if (clientId !== ALL_CLIENTS) await loadClient(tx, clientId, input.UserPoolId);
    const own = await tx.getBrandingItem(input.UserPoolId, 'ui', clientId);
    const item = own ?? (clientId === ALL_CLIENTS ? undefined : await tx.getBrandingItem(input.UserPoolId, 'ui', ALL_CLIENTS));
    return { UICustomization: uiView(input.UserPoolId, clientId, item) };
  });
};
