import type { OAuthFlowType } from '../../model/generated/types.js';

/**
 * The OAuth settings of an app client (cognito-facts-areas.md §4.6) and what CreateUserPoolClient
 * and UpdateUserPoolClient check of them. Pure: the custom scopes that exist and whether the
 * client has a secret are passed in.
 */
export interface ClientOAuthSettings {
  AllowedOAuthFlows?: OAuthFlowType[] | undefined;
  AllowedOAuthScopes?: string[] | undefined;
  CallbackURLs?: string[] | undefined;
  LogoutURLs?: string[] | undefined;
  DefaultRedirectURI?: string | undefined;
  AllowedOAuthFlowsUserPoolClient?: boolean | undefined;
  SupportedIdentityProviders?: string[] | undefined;
}

/** The scopes Cognito defines itself (§1.5); every other scope is `<resource server>/<scope>`. */
export const RESERVED_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'] as const;

export type OAuthSettingsProblem =
  | { error: 'InvalidOAuthFlowException'; message: string }
  | { error: 'ScopeDoesNotExistException'; message: string }
  | { error: 'InvalidParameterException'; message: string };

export const CLIENT_OAUTH_MESSAGES = {
  // FIELD: gh:cisagov/crossfeed#440 (InvalidOAuthFlowException).
  noCallback: 'CallbackUrls can not be empty when code flow or implicit flow is selected',
  // Unverified texts: the rules are the model's (API:CreateUserPoolClient, AllowedOAuthFlows).
  clientCredentialsAlone: 'client_credentials flow can not be selected along with code flow or implicit flow.',
  clientCredentialsSecret: 'client_credentials flow can not be selected if client does not have a client secret.',
  // FIELD: gh:awsdocs/aws-cloudformation-user-guide#564 (ScopeDoesNotExistException).
  noSuchScope: (scope: string) => `Invalid scope requested: ${scope}`,
  // Unverified texts: the rules are the model's (CallbackURLs, LogoutURLs, DefaultRedirectURI).
  badUrl: (member: string, url: string) =>
    `${member} ${url} is not valid: a URL must be absolute, without a fragment, and use HTTPS unless it is http://localhost, http://127.0.0.1 or http://[::1].`,
  defaultRedirect: 'DefaultRedirectURI must be one of the CallbackURLs.',
} as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a callback or logout URL may be registered (§4.6): absolute, no fragment, HTTPS except
 * plain HTTP to the loopback names (any port); app schemes (myapp://callback) are allowed.
 */
export function registrableUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (url.includes('#')) return false;
  if (parsed.protocol === 'https:') return parsed.host !== '';
  if (parsed.protocol === 'http:') return LOOPBACK_HOSTS.has(parsed.hostname);
  // App schemes: anything but the schemes a browser would run or show as a page.
  return !['javascript:', 'data:', 'file:', 'blob:', 'about:', 'vbscript:', 'ftp:', 'ws:', 'wss:'].includes(parsed.protocol);
}

export function clientOAuthProblem(req: ClientOAuthSettings, context: { hasSecret: boolean; customScopes: ReadonlySet<string> }): OAuthSettingsProblem | undefined {
  const flows = req.AllowedOAuthFlows ?? [];
  const urlProblem = (member: string, urls: readonly string[] | undefined) => {
    const bad = (urls ?? []).find((u) => !registrableUrl(u));
    return bad === undefined ? undefined : ({ error: 'InvalidParameterException', message: CLIENT_OAUTH_MESSAGES.badUrl(member, bad) } as const);
  };
  const problem = urlProblem('CallbackURLs', req.CallbackURLs) ?? urlProblem('LogoutURLs', req.LogoutURLs);
  if (problem) return problem;
  if (req.DefaultRedirectURI !== undefined && !(req.CallbackURLs ?? []).includes(req.DefaultRedirectURI)) {
    return { error: 'InvalidParameterException', message: CLIENT_OAUTH_MESSAGES.defaultRedirect };
  }
  if (flows.includes('client_credentials')) {
    if (flows.some((f) => f !== 'client_credentials')) return { error: 'InvalidOAuthFlowException', message: CLIENT_OAUTH_MESSAGES.clientCredentialsAlone };
    if (!context.hasSecret) return { error: 'InvalidOAuthFlowException', message: CLIENT_OAUTH_MESSAGES.clientCredentialsSecret };
  }
  if ((flows.includes('code') || flows.includes('implicit')) && (req.CallbackURLs ?? []).length === 0) {
    return { error: 'InvalidOAuthFlowException', message: CLIENT_OAUTH_MESSAGES.noCallback };
  }
  for (const scope of req.AllowedOAuthScopes ?? []) {
    if (!(RESERVED_SCOPES as readonly string[]).includes(scope) && !context.customScopes.has(scope)) {
      return { error: 'ScopeDoesNotExistException', message: CLIENT_OAUTH_MESSAGES.noSuchScope(scope) };
    }
  }
  return undefined;
}
