import type { Deps } from '../deps.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { orderForClaims, preferredRole, type GroupClaimSource } from '../../domain/groups/group.js';
import { runTrigger, type TriggerDeps } from './run-trigger.js';
import { triggerUserAttributes } from './user-attributes.js';
import type { ClaimChanges, GroupConfiguration, TriggerSource } from './trigger-contracts.js';

export type TokenGenerationSource = Extract<TriggerSource, `TokenGeneration_${string}`>;

/**
 * Claims no PreTokenGeneration answer changes (cognito-facts-areas.md §2.4, the V1 list of
 * DG23): attempts to add, override or suppress them are ignored and the claim stays as issued.
 */
const PROTECTED = new Set([
  'acr',
  'amr',
  'aud',
  'at_hash',
  'auth_time',
  'azp',
  'cognito:username',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'sub',
  'token_use',
]);
/**
 * For access tokens the V2 table was unreadable (facts Appendix 1); userpoold also keeps the
 * claims that name the client and user, and `scope`, which changes only through
 * scopesToAdd/scopesToSuppress.
 */
const ACCESS_PROTECTED = new Set([...PROTECTED, 'client_id', 'username', 'scope']);

export interface TokenClaims {
  id: Record<string, unknown>;
  access: Record<string, unknown>;
}

export interface TokenGenerationCall {
  source: TokenGenerationSource;
  settings: PoolSettings;
  clientId: string;
  user: UserRecord;
  groups: readonly GroupClaimSource[];
  clientMetadata?: Record<string, string> | undefined;
}

/**
 * Runs the pool's PreTokenGeneration function (if any) and returns the claims it asks for.
 * V1_0 changes the ID token only; V2_0 and V3_0 change both, and the access token's scopes.
 * Group overrides replace `cognito:groups` / `cognito:roles` / `cognito:preferred_role`
 * (an empty list removes the claim); then claims are added or overridden; then suppressed
 * (suppress wins, §2.4).
 */
export async function customizeClaims(deps: Pick<Deps, TriggerDeps>, call: TokenGenerationCall, claims: TokenClaims): Promise<TokenClaims> {
  const ordered = orderForClaims(call.groups);
  const groupConfiguration: GroupConfiguration = {
    groupsToOverride: ordered.map((g) => g.name),
    iamRolesToOverride: [...new Set(ordered.flatMap((g) => (g.roleArn === null ? [] : [g.roleArn])))],
    preferredRole: preferredRole(ordered) ?? null,
  };
  const scopes = typeof claims.access.scope === 'string' ? claims.access.scope.split(' ').filter((s) => s !== '') : [];
  const v2 = (call.settings.LambdaConfig?.PreTokenGenerationConfig?.LambdaVersion ?? 'V1_0') !== 'V1_0';
  const answer = await runTrigger(deps, call.settings, {
    source: call.source,
    poolId: call.user.poolId,
    userName: call.user.username,
    clientId: call.clientId,
    request: {
      userAttributes: triggerUserAttributes(call.user),
      groupConfiguration,
      ...(v2 && { scopes }),
      clientMetadata: call.clientMetadata,
    },
  });
  if (!answer) return claims;

  let id = { ...claims.id };
  let access = { ...claims.access };
  if (answer.groups) {
    id = overrideGroups(id, answer.groups, true);
    if (answer.access) access = overrideGroups(access, answer.groups, false);
  }
  id = applyChanges(id, answer.id, PROTECTED);
  if (answer.access) {
    access = applyChanges(access, answer.access, ACCESS_PROTECTED);
    const suppressed = new Set(answer.access.scopesToSuppress);
    const next = [...new Set([...scopes, ...answer.access.scopesToAdd])].filter((s) => !suppressed.has(s));
    if (next.length > 0) access.scope = next.join(' ');
    else delete access.scope;
  }
  return { id, access };
}

function overrideGroups(claims: Record<string, unknown>, groups: Partial<GroupConfiguration>, idToken: boolean): Record<string, unknown> {
  const out = { ...claims };
  const set = (name: string, value: string[] | string | null | undefined) => {
    if (value === undefined) return;
    if (value === null || value.length === 0) delete out[name];
    else out[name] = value;
  };
  set('cognito:groups', groups.groupsToOverride);
  if (idToken) {
    set('cognito:roles', groups.iamRolesToOverride);
    set('cognito:preferred_role', groups.preferredRole);
  }
  return out;
}

function applyChanges(claims: Record<string, unknown>, changes: ClaimChanges, protectedClaims: ReadonlySet<string>): Record<string, unknown> {
  const out = { ...claims };
  for (const [name, value] of Object.entries(changes.claimsToAddOrOverride)) if (!protectedClaims.has(name)) out[name] = value;
  for (const name of changes.claimsToSuppress) if (!protectedClaims.has(name)) delete out[name];
  return out;
}
