import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { invalidParameter } from '../../kernel/errors.js';
import { DEFAULT_FRIENDLY_NAME } from '../../services/webauthn/passkey-rules.js';

/** MaxResults' default when omitted (the model allows 0 to 20; AWS's default is not documented). */
const DEFAULT_PAGE = 20;

/**
 * The signed-in user's passkeys, oldest first (MODEL ListWebAuthnCredentials, MaxResults 0–20;
 * cognito-facts-areas.md §3.6). NextToken is the number of credentials already listed, which is
 * enough for at most twenty per user.
 */
export const listWebAuthnCredentials: Operation<'ListWebAuthnCredentials', AccessTokenDeps> = (deps) => async (input) => {
  const { pool, user } = await authenticateAccessToken(deps, input.AccessToken);
  const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
  if (!Number.isSafeInteger(start) || start < 0 || String(start) !== (input.NextToken ?? '0')) throw invalidParameter('Invalid NextToken.');
  const size = input.MaxResults ?? DEFAULT_PAGE;
  const all = await deps.store.listWebAuthnCredentials(pool.id, user.sub);
  const page = all.slice(start, start + size);
  const next = start + page.length;
  return {
    Credentials: page.map((c) => ({
      CredentialId: c.credentialId,
      FriendlyCredentialName: c.friendlyName ?? DEFAULT_FRIENDLY_NAME,
      RelyingPartyId: c.relyingPartyId,
      ...(c.attachment !== null && { AuthenticatorAttachment: c.attachment }),
      AuthenticatorTransports: c.transports,
      CreatedAt: c.createdAt / 1000,
    })),
    ...(size > 0 && next < all.length && { NextToken: String(next) }),
  };
};
