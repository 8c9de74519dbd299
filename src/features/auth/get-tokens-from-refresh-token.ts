import { acceptsClientSecret } from '../../services/directory/client-secret.js';
import { notAuthorized } from '../../kernel/errors.js';
import type { Operation } from '../operation.js';
import { REFRESH_MESSAGES, renewTokens, rotationOf, type RefreshSignInDeps } from './flows/refresh-sign-in.js';
import { loadSignInClient, requireFlow, type SignInClientDeps } from './sign-in-client.js';

/**
 * New ID and access tokens for a refresh token, the call Amplify v6 makes to refresh a session
 * (fetchAuthSession). Like REFRESH_TOKEN_AUTH, but a confidential client proves itself with
 * its ClientSecret instead of a SECRET_HASH. With the client's refresh token rotation on, the
 * answer carries a new refresh token and the one given works only for the grace period after
 * (RefreshTokenRotationType); without it there is no new refresh token. DeviceKey names the remembered
 * device of the sign-in, which a device-bound refresh token needs (cognito-facts-areas.md 3.5).
 */
export const getTokensFromRefreshToken: Operation<'GetTokensFromRefreshToken', SignInClientDeps | RefreshSignInDeps> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId);
  requireFlow(sc, 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN_AUTH flow not enabled for this client');
  const proveClient = () => {
    // AWS's text for a wrong or missing client secret here is not documented (unverified).
    // Either active secret is accepted while a secret is rotated.
    if (!acceptsClientSecret(sc.clientSecrets, input.ClientSecret)) {
      throw notAuthorized(`Unable to verify secret hash for client ${sc.client.id}`);
    }
  };
  // AdminResetUserPassword revokes the user's refresh tokens; a reset that races this call is
  // answered the same way, as the operation's model has no PasswordResetRequiredException.
  const tokens = await renewTokens(deps, sc, input.RefreshToken, proveClient, ctx, {
    resetRequired: () => notAuthorized(REFRESH_MESSAGES.revoked),
    clientMetadata: input.ClientMetadata,
    deviceKey: input.DeviceKey,
    rotation: rotationOf(sc),
  });
  return { AuthenticationResult: tokens };
};
