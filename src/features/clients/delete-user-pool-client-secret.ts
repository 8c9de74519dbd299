import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { CLIENT_SECRET_MESSAGES, clientSecretId } from '../../domain/clients/client-secrets.js';
import { invalidParameter, resourceNotFound } from '../../kernel/errors.js';

/**
 * Ends one secret of a rotation. The next sign-in reads the client row again, so the deleted
 * secret stops working at once. "You cannot delete the last remaining secret for an app client"
 * (API_DeleteUserPoolClientSecret).
 */
export const deleteUserPoolClientSecret: Operation<'DeleteUserPoolClientSecret', 'clock' | 'store'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    const client = await loadClient(tx, input.ClientId, input.UserPoolId);
    const kept = client.clientSecrets.filter((s) => clientSecretId(client.id, s.createdAt) !== input.ClientSecretId);
    if (kept.length === client.clientSecrets.length) throw resourceNotFound(CLIENT_SECRET_MESSAGES.unknown(input.ClientSecretId));
    if (kept.length === 0) throw invalidParameter(CLIENT_SECRET_MESSAGES.last(client.id));
    await tx.updateClient({ ...client, clientSecrets: kept, updatedAt: deps.clock.nowMs() });
  });
  return {};
};
