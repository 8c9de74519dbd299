import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { clientSettingsFromRequest, describeClient } from '../../domain/clients/app-client.js';
import { checkContextDataPropagation } from '../../domain/clients/context-data.js';
import { newClientId, newClientSecret } from '../../domain/ids.js';
import { checkClientOAuthSettings } from '../../services/oauth/client-oauth.js';
import { invalidParameter } from '../../kernel/errors.js';
import { unknownProviderMessage, unknownSupportedProvider } from '../idp/index.js';

export const createUserPoolClient: Operation<'CreateUserPoolClient', 'clock' | 'random' | 'secrets' | 'store'> = (deps) => async (input) => {
  const { UserPoolId, ClientName, GenerateSecret, ClientSecret, ...requested } = input;
  // A caller-chosen secret is taken as given; otherwise GenerateSecret asks for a random one.
  const secret = ClientSecret ?? (GenerateSecret ? newClientSecret(deps.random) : null);
  return deps.store.transaction(async (tx) => {
    const { settings: pool } = await loadPool(tx, UserPoolId);
    const settings = clientSettingsFromRequest(requested, pool, 'creating');
    checkContextDataPropagation(settings, secret !== null);
    await checkClientOAuthSettings(tx, UserPoolId, settings, secret !== null);
    const unknownProvider = await unknownSupportedProvider(tx, UserPoolId, settings.SupportedIdentityProviders ?? []);
    if (unknownProvider !== undefined) throw invalidParameter(unknownProviderMessage(unknownProvider, UserPoolId));
    const now = deps.clock.nowMs();
    const client = {
      id: newClientId(deps.random),
      poolId: UserPoolId,
      name: ClientName,
      clientSecrets: secret === null ? [] : [{ sealed: deps.secrets.seal(secret), createdAt: now }],
      settings,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insertClient(client);
    return { UserPoolClient: describeClient(client, secret) };
  });
};
