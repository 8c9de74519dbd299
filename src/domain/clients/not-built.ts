import { notBuilt } from '../pools/not-built.js';
import type { ClientSettings } from './app-client.js';

/**
 * App client settings that ask for behaviour userpoold does not have yet (see
 * domain/pools/not-built.ts for why they are refused rather than stored).
 */
export function refuseUnbuiltClientSettings(req: ClientSettings): void {
  // The OAuth settings are built, the implicit grant included (domain/oauth/client-oauth.ts checks them).
  // SupportedIdentityProviders other than COGNITO must be providers of the pool: the client
  // area checks that against the store (features/idp unknownSupportedProvider).
  if (req.AnalyticsConfiguration !== undefined && req.AnalyticsConfiguration !== null) throw notBuilt('AnalyticsConfiguration', 'Amazon Pinpoint analytics');
  // EnablePropagateAdditionalUserContextData is built: it needs a client secret (domain/clients/context-data.ts).
}
