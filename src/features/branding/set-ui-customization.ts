import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { ALL_CLIENTS, checkCss, checkImage, uiDocument, uiView } from './ui-customization.js';

/**
 * The classic hosted UI's CSS and logo for a client, or for the pool (ClientId ALL or absent).
 * The CSS is applied to the managed login pages; the logo is kept but not served.
 */
export const setUICustomization: Operation<'SetUICustomization', 'store' | 'clock'> = (deps) => async (input) => {
  const clientId = input.ClientId ?? ALL_CLIENTS;
  return deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    if (clientId !== ALL_CLIENTS) await loadClient(tx, clientId, input.UserPoolId);
    if (input.CSS !== undefined) checkCss(input.CSS);
    const image = input.ImageFile === undefined ? undefined : Buffer.from(input.ImageFile, 'base64');
    if (image) checkImage(image);
    const existing = await tx.getBrandingItem(input.UserPoolId, 'ui', clientId);
    const now = deps.clock.nowMs();
    const item = {
      poolId: input.UserPoolId,
      kind: 'ui' as const,
      itemId: clientId,
      clientId,
      name: '',
      document: JSON.stringify({ css: input.CSS, image: image?.toString('base64') ?? (existing && uiDocument(existing).image) }),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await tx.putBrandingItem(item);
    return { UICustomization: uiView(input.UserPoolId, clientId, item) };
  });
};
