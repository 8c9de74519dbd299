import { createHash } from 'node:crypto';
import type { ClientSettings } from '../clients/app-client.js';
import { RESERVED_SCOPES } from './client-oauth.js';

/**
 * The OAuth 2.0 grants' pure rules: error answers (RFC 6749 §5.2 and Cognito's token endpoint,
 * cognito-facts-areas.md §4.4), scopes, PKCE (RFC 7636, S256 only), and what an authorization
 * code carries.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'invalid_token'
  | 'unsupported_response_type'
  | 'access_denied'
  | 'server_error';

/** An OAuth refusal; the route renders it as `{"error": ..., "error_description": ...}`. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description?: string,
  ) {
    super(description ?? error);
  }
}

/** What an authorization code binds (RFC 6749 §4.1.3, RFC 7636 §4.6), sealed into the code itself. */
export interface CodeGrant {
  poolId: string;
  clientId: string;
  redirectUri: string;
  userSub: string;
  scopes: string[];
  /** The S256 code_challenge, when the authorize request made one. */
  challenge?: string | undefined;
  nonce?: string | undefined;
  authTime: number;
  /** Epoch ms; codes live 5 minutes (§4.2). */
  expiresAt: number;
}

export const CODE_LIFETIME_MS = 5 * 60 * 1000;

/** RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~]; the challenge is its S256 hash (43 base64url characters). */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function validChallenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  return createHash('sha256').update(verifier, 'ascii').digest('base64url') === challenge;
}

/** The client's OAuth flows, honoured only when AllowedOAuthFlowsUserPoolClient is true (§4.6). */
export function allowsOAuthFlow(settings: ClientSettings, flow: 'code' | 'implicit' | 'client_credentials'): boolean {
  return settings.AllowedOAuthFlowsUserPoolClient === true && (settings.AllowedOAuthFlows ?? []).includes(flow);
}

function isCustom(scope: string): boolean {
  return !(RESERVED_SCOPES as readonly string[]).includes(scope);
}

/** Space-separated scopes (RFC 6749 §3.3), without repeats. */
export function parseScopes(value: string): string[] {
  return [...new Set(value.split(' ').filter((s) => s !== ''))];
}

/**
 * client_credentials scopes (§4.4): only custom scopes the client is allowed and that still
 * exist on a resource server; none asked for means all of them. Anything else asked for is
 * invalid_scope, and so is ending with none.
 */
export function clientCredentialsScopes(requested: string | undefined, settings: ClientSettings, existing: ReadonlySet<string>): string[] {
  const allowed = (settings.AllowedOAuthScopes ?? []).filter((s) => isCustom(s) && existing.has(s));
  if (requested === undefined) {
    if (allowed.length === 0) throw new OAuthError('invalid_scope');
    return allowed;
  }
  const asked = parseScopes(requested);
  if (asked.length === 0 || asked.some((s) => !allowed.includes(s))) throw new OAuthError('invalid_scope');
  return asked;
}

/**
 * Authorization-code scopes (§4.2, §1.5): none asked for means all of the client's; scopes the
 * client is not allowed, unknown ones and custom scopes deleted from their server are dropped;
 * email, phone and profile need openid. Nothing left is invalid_scope.
 */
export function authorizeScopes(requested: string | undefined, settings: ClientSettings, existing: ReadonlySet<string>): string[] {
  const allowed = (settings.AllowedOAuthScopes ?? []).filter((s) => !isCustom(s) || existing.has(s));
  const asked = requested === undefined ? allowed : parseScopes(requested).filter((s) => allowed.includes(s));
  const granted = asked.includes('openid') ? asked : asked.filter((s) => !['email', 'phone', 'profile'].includes(s));
  if (granted.length === 0) throw new OAuthError('invalid_scope');
  return granted;
}

/** Attributes userInfo returns for the granted scopes (§4.4; DG23 userinfo-endpoint, authorization-endpoint scopes). */
export function userInfoAttributes(scopes: readonly string[], readable: Readonly<Record<string, string>>): Record<string, string> {
  // openid: every attribute the client may read; without openid there is no userInfo at all.
  if (!scopes.includes('openid')) return {};
  return { ...readable };
}
