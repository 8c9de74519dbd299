import type { Operation } from '../operation.js';
import { openClientSecret } from '../../services/directory/client-secret.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { clientSettingsFromRequest, describeClient } from '../../domain/clients/app-client.js';
import { checkContextDataPropagation } from '../../domain/clients/context-data.js';
import { checkClientOAuthSettings } from '../../services/oauth/client-oauth.js';
import { invalidParameter } from '../../kernel/errors.js';
import { unknownProviderMessage, unknownSupportedProvider } from '../idp/index.js';

/** Like Cognito, the request replaces every setting: what it omits returns to its default. The name and secret stay. */
export const updateUserPoolClient: Operation<'UpdateUserPoolClient', 'clock' | 'secrets' | 'store'> = (deps) => async (input) => {
  const { UserPoolId, ClientId, ClientName, ...requested } = input;
  return deps.store.transaction(async (tx) => {
    const { settings: pool } = await loadPool(tx, UserPoolId);
    const current = await loadClient(tx, ClientId, UserPoolId);
    const client = {
      ...current,
      name: ClientName ?? current.name,
      settings: clientSettingsFromRequest(requested, pool, 'updating'),
      updatedAt: deps.clock.nowMs(),
    };
    checkContextDataPropagation(client.settings, current.clientSecrets.length > 0);
    await checkClientOAuthSettings(tx, UserPoolId, client.settings, current.clientSecrets.length > 0);
    const unknownProvider = await unknownSupportedProvider(tx, UserPoolId, client.settings.SupportedIdentityProviders ?? []);
    if (unknownProvider !== undefined) throw invalidParameter(unknownProviderMessage(unknownProvider, UserPoolId));
    await tx.updateClient(client);
    return { UserPoolClient: describeClient(client, openClientSecret(client, deps.secrets)) };
  });
};
