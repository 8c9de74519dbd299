import type { Operation } from '../operation.js';
import { ServiceError } from '../../kernel/errors.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { styleDocument, styleView } from './managed-login-branding.js';

/** A client's managed login branding style: one per client (ManagedLoginBrandingExistsException). */
export const createManagedLoginBranding: Operation<'CreateManagedLoginBranding', 'store' | 'clock' | 'random'> = (deps) => async (input) => {
  const document = styleDocument(input.UseCognitoProvidedValues, input.Settings, input.Assets);
  return deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    await loadClient(tx, input.ClientId, input.UserPoolId);
    const styles = await tx.listBrandingItems(input.UserPoolId, 'style');
    if (styles.some((s) => s.clientId === input.ClientId)) {
      throw new ServiceError('ManagedLoginBrandingExistsException', 'Managed login branding already exists for this app client.');
    }
    const now = deps.clock.nowMs();
    const item = { poolId: input.UserPoolId, kind: 'style' as const, itemId: deps.random.uuid(), clientId: input.ClientId, name: '', document: JSON.stringify(document), createdAt: now, updatedAt: now };
    await tx.putBrandingItem(item);
    return { ManagedLoginBranding: styleView(item) };
  });
};
