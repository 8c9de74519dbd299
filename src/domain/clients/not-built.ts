import { notBuilt } from '../pools/not-built.js';
import type { ClientSettings } from './app-client.js';

/**
 * App client settings that ask for behaviour userpoold does not have yet (see
 * domain/pools/not-built.ts for why they are refused rather than stored).
 */
const OAUTH_SETTINGS = ['AllowedOAuthFlows', 'AllowedOAuthScopes', 'CallbackURLs', 'LogoutURLs', 'DefaultRedirectURI'] as const;

export function refuseUnbuiltClientSettings(req: ClientSettings): void {
  if (req.AllowedOAuthFlowsUserPoolClient === true) throw notBuilt('AllowedOAuthFlowsUserPoolClient', 'the OAuth 2.0 endpoints and managed login');
  for (const name of OAUTH_SETTINGS) {
    const value = req[name];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) {
      throw notBuilt(name, 'the OAuth 2.0 endpoints and managed login');
    }
  }
  const providers = req.SupportedIdentityProviders ?? [];
  if (providers.some((p) => p !== 'COGNITO')) throw notBuilt('SupportedIdentityProviders other than COGNITO', 'federated identity providers');
  if (req.AnalyticsConfiguration !== undefined && req.AnalyticsConfiguration !== null) throw notBuilt('AnalyticsConfiguration', 'Amazon Pinpoint analytics');
  if (req.EnablePropagateAdditionalUserContextData === true) throw notBuilt('EnablePropagateAdditionalUserContextData', 'threat protection (advanced security)');
  if (req.RefreshTokenRotation?.Feature === 'ENABLED') throw notBuilt('RefreshTokenRotation', 'refresh token rotation');
}
