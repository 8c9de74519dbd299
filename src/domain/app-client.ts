import type { CreateUserPoolClientRequest, ExplicitAuthFlowsType } from '../protocol/generated/types.js';
import type { ClientRecord } from '../storage/store.js';

/** App client settings as stored: the CreateUserPoolClient request without ids, name and secret. */
export type ClientSettings = Omit<CreateUserPoolClientRequest, 'UserPoolId' | 'ClientName' | 'GenerateSecret' | 'ClientSecret'>;

export function clientSettingsOf(client: ClientRecord): ClientSettings {
  return client.settings as unknown as ClientSettings;
}

/** Flows a client allows when ExplicitAuthFlows is not given (AWS's documented default). */
export const DEFAULT_AUTH_FLOWS: readonly ExplicitAuthFlowsType[] = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

export type AuthFlowName = 'USER_PASSWORD_AUTH' | 'ADMIN_USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH' | 'USER_SRP_AUTH' | 'CUSTOM_AUTH' | 'USER_AUTH';

/** Which ExplicitAuthFlows values (new ALLOW_ names and the legacy ones) enable a flow. */
const ENABLING: Record<AuthFlowName, readonly ExplicitAuthFlowsType[]> = {
  USER_PASSWORD_AUTH: ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'],
  ADMIN_USER_PASSWORD_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  // Refresh is always possible with the legacy flags; with ALLOW_ flags it must be listed.
  REFRESH_TOKEN_AUTH: ['ALLOW_REFRESH_TOKEN_AUTH'],
  USER_SRP_AUTH: ['ALLOW_USER_SRP_AUTH'],
  CUSTOM_AUTH: ['ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY'],
  USER_AUTH: ['ALLOW_USER_AUTH'],
};

export function explicitAuthFlows(settings: ClientSettings): readonly ExplicitAuthFlowsType[] {
  return settings.ExplicitAuthFlows && settings.ExplicitAuthFlows.length > 0 ? settings.ExplicitAuthFlows : DEFAULT_AUTH_FLOWS;
}

export function allowsAuthFlow(settings: ClientSettings, flow: AuthFlowName): boolean {
  const flows = explicitAuthFlows(settings);
  const legacyOnly = flows.every((f) => !f.startsWith('ALLOW_'));
  if (flow === 'REFRESH_TOKEN_AUTH' && legacyOnly) return true;
  if (flow === 'USER_SRP_AUTH' && legacyOnly && !flows.includes('CUSTOM_AUTH_FLOW_ONLY')) return true;
  return ENABLING[flow].some((f) => flows.includes(f));
}

/** PreventUserExistenceErrors: LEGACY unless the client says ENABLED. */
export function preventsUserExistenceErrors(settings: ClientSettings): boolean {
  return settings.PreventUserExistenceErrors === 'ENABLED';
}
