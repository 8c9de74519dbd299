import type { Operation } from '../operation.js';
import { invalidParameter } from '../../kernel/errors.js';
import { loadPool } from '../../services/directory/lookups.js';
import { brandingNotFound, styleDocument, styleView } from './managed-login-branding.js';

/** Replaces the style's settings and assets (UseCognitoProvidedValues true clears them). */
export const updateManagedLoginBranding: Operation<'UpdateManagedLoginBranding', 'store' | 'clock'> = (deps) => async (input) => {
  const poolId = input.UserPoolId;
  const id = input.ManagedLoginBrandingId;
  if (poolId === undefined || id === undefined) throw invalidParameter('UserPoolId and ManagedLoginBrandingId are required.');
  const document = styleDocument(input.UseCognitoProvidedValues, input.Settings, input.Assets);
  return deps.store.transaction(async (tx) => {
    await loadPool(tx, poolId);
    const existing = await tx.getBrandingItem(poolId, 'style', id);
    if (!existing) throw brandingNotFound();
    const item = { ...existing, document: JSON.stringify(document), updatedAt: deps.clock.nowMs() };
    await tx.putBrandingItem(item);
    return { ManagedLoginBranding: styleView(item) };
  });
};
