import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { CLIENT_SECRET_MESSAGES, MAX_CLIENT_SECRETS, nextSecretCreatedAt, secretDescriptor } from '../../domain/clients/client-secrets.js';
import { newClientSecret } from '../../domain/ids.js';
import { invalidParameter, limitExceeded } from '../../kernel/errors.js';

/**
 * A second secret for a confidential client, for rotation without downtime: both secrets are
 * accepted until one is deleted. AWS returns the value only when it generated it; a secret the
 * caller chose is not echoed back (API_AddUserPoolClientSecret, API_ClientSecretDescriptorType).
 */
export const addUserPoolClientSecret: Operation<'AddUserPoolClientSecret', 'clock' | 'random' | 'secrets' | 'store'> = (deps) => async (input) => {
  const generated = input.ClientSecret === undefined ? newClientSecret(deps.random) : undefined;
  const value = input.ClientSecret ?? generated ?? '';
  return deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    const client = await loadClient(tx, input.ClientId, input.UserPoolId);
    // A public client stays public: giving it a secret would lock out every caller it has.
    if (client.clientSecrets.length === 0) throw invalidParameter(CLIENT_SECRET_MESSAGES.publicClient(client.id));
    if (client.clientSecrets.length >= MAX_CLIENT_SECRETS) throw limitExceeded(CLIENT_SECRET_MESSAGES.tooMany(client.id));
    const now = deps.clock.nowMs();
    const secret = { sealed: deps.secrets.seal(value), createdAt: nextSecretCreatedAt(client, now) };
    await tx.updateClient({ ...client, clientSecrets: [...client.clientSecrets, secret], updatedAt: now });
    return { ClientSecretDescriptor: secretDescriptor(client.id, secret, generated) };
  });
};
