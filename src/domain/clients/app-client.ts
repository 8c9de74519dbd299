import { invalidParameter } from '../../kernel/errors.js';
import type {
  CreateUserPoolClientRequest,
  ExplicitAuthFlowsType,
  TimeUnitsType,
  UserPoolClientDescription,
  UserPoolClientType,
} from '../../model/generated/types.js';
import type { ClientRecord } from './client.js';
import { refuseUnbuiltClientSettings } from './not-built.js';
import type { PoolSettings } from '../pools/user-pool.js';

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

// ---- settings from CreateUserPoolClient / UpdateUserPoolClient

/**
 * What AWS reports for a client created with no settings. Access and ID token validity and
 * ExplicitAuthFlows are absent from its answer until set (their effective defaults are in
 * `tokenValiditySeconds` and `DEFAULT_AUTH_FLOWS`); PreventUserExistenceErrors too (LEGACY).
 */
const CLIENT_DEFAULTS = {
  RefreshTokenValidity: 30,
  TokenValidityUnits: {},
  AllowedOAuthFlowsUserPoolClient: false,
  EnableTokenRevocation: true,
  EnablePropagateAdditionalUserContextData: false,
  AuthSessionValidity: 3,
} as const satisfies ClientSettings;

const LEGACY_AUTH_FLOWS: readonly ExplicitAuthFlowsType[] = ['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH'];

/** Seconds per TokenValidityUnits value. */
const UNIT_SECONDS: Record<TimeUnitsType, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

const MINUTE = 60;
const DAY = 86400;
/** AWS's bounds: access and ID tokens 5 minutes to 1 day; refresh tokens 60 minutes to 10 years. */
const ACCESS_OR_ID_BOUNDS = [5 * MINUTE, DAY] as const;
const REFRESH_BOUNDS = [60 * MINUTE, 3650 * DAY] as const;

/**
 * A client's settings from a create or update request, AWS's defaults for everything omitted
 * (an update replaces every setting, as in Cognito), checked against the pool's schema.
 */
export function clientSettingsFromRequest(req: ClientSettings, pool: PoolSettings, action: 'creating' | 'updating'): ClientSettings {
  refuseUnbuiltClientSettings(req);
  checkTokenValidity(req);
  checkAuthFlows(req.ExplicitAuthFlows);
  checkReadAttributes(req.ReadAttributes, pool, action);
  checkWriteAttributes(req.WriteAttributes, pool, action);
  const given = Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)) as ClientSettings;
  return { ...CLIENT_DEFAULTS, ...given };
}

function checkTokenValidity(req: ClientSettings): void {
  const units = req.TokenValidityUnits ?? {};
  const outOfRange = (value: number | undefined, unit: TimeUnitsType, [min, max]: readonly [number, number]) =>
    value !== undefined && (value * UNIT_SECONDS[unit] < min || value * UNIT_SECONDS[unit] > max);
  if (
    outOfRange(req.AccessTokenValidity, units.AccessToken ?? 'hours', ACCESS_OR_ID_BOUNDS) ||
    outOfRange(req.IdTokenValidity, units.IdToken ?? 'hours', ACCESS_OR_ID_BOUNDS) ||
    outOfRange(req.RefreshTokenValidity, units.RefreshToken ?? 'days', REFRESH_BOUNDS)
  ) {
    throw invalidParameter('Invalid range for token validity.');
  }
}

function checkAuthFlows(flows: readonly ExplicitAuthFlowsType[] | undefined): void {
  if (!flows) return;
  const legacy = flows.some((f) => LEGACY_AUTH_FLOWS.includes(f));
  const allow = flows.some((f) => f.startsWith('ALLOW_'));
  if (legacy && allow) {
    // AWS's text for this refusal was not found (unverified).
    throw invalidParameter('ExplicitAuthFlows cannot combine values that begin with ALLOW_ with the legacy values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH.');
  }
}

function checkReadAttributes(names: readonly string[] | undefined, pool: PoolSettings, action: string): void {
  if (!names) return;
  const known = new Set(pool.SchemaAttributes.map((a) => a.Name));
  if (names.some((name) => !known.has(name))) throw invalidParameter(`Invalid read attributes specified while ${action} a client`);
}

/**
 * A client may write only attributes of the schema that can change, never `sub` or the
 * verification flags, and must be able to write every attribute the pool requires.
 */
function checkWriteAttributes(names: readonly string[] | undefined, pool: PoolSettings, action: string): void {
  if (!names) return;
  const writable = new Set(
    pool.SchemaAttributes.filter((a) => a.Mutable !== false && a.Name !== 'sub' && !a.Name?.endsWith('_verified')).map((a) => a.Name),
  );
  const required = pool.SchemaAttributes.filter((a) => a.Required && a.Name !== 'sub').map((a) => a.Name as string);
  if (names.some((name) => !writable.has(name)) || required.some((name) => !names.includes(name))) {
    throw invalidParameter(`Invalid write attributes specified while ${action} a client`);
  }
}

/** Effective token lifetimes in seconds: 60 minutes for access and ID tokens, 30 days for refresh, unless set. */
export function tokenValiditySeconds(settings: ClientSettings): { access: number; id: number; refresh: number } {
  const units = settings.TokenValidityUnits ?? {};
  return {
    access: settings.AccessTokenValidity === undefined ? 60 * MINUTE : settings.AccessTokenValidity * UNIT_SECONDS[units.AccessToken ?? 'hours'],
    id: settings.IdTokenValidity === undefined ? 60 * MINUTE : settings.IdTokenValidity * UNIT_SECONDS[units.IdToken ?? 'hours'],
    refresh: (settings.RefreshTokenValidity ?? 30) * UNIT_SECONDS[units.RefreshToken ?? 'days'],
  };
}

/** The UserPoolClientType of Create/Describe/UpdateUserPoolClient. */
export function describeClient(client: ClientRecord, clientSecret: string | null): UserPoolClientType {
  // Settings first: the client's own identity and dates always win over anything stored in them.
  return {
    ...clientSettingsOf(client),
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.id,
    ...(clientSecret !== null && { ClientSecret: clientSecret }),
    LastModifiedDate: client.updatedAt / 1000,
    CreationDate: client.createdAt / 1000,
  };
}

/** The UserPoolClientDescription of ListUserPoolClients. */
export function clientDescription(client: ClientRecord): UserPoolClientDescription {
  return { ClientId: client.id, UserPoolId: client.poolId, ClientName: client.name };
}
