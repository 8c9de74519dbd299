import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

/**
 * A real OpenID Provider for federation tests: panva's oidc-provider on port 0, with one
 * confidential client (client_secret_post) whose redirect URI is userpoold's
 * /oauth2/idpresponse. Its development login page signs in any login name typed, as the account
 * of that name in `accounts` (the claims the test sets; `sub` is the name). Consent is granted
 * by itself, as for a first-party application, so a sign-in is: login page, then back.
 */
export interface OidcIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims of each account by login name, read at every sign-in (tests change them between sign-ins). */
  accounts: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/** The part of oidc-provider's request context that loadExistingGrant uses. */
interface GrantContext {
  oidc: {
    result?: { consent?: { grantId?: string } };
    session: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    client: { clientId: string };
    provider: {
      Grant: {
        new (init: { clientId: string; accountId?: string | undefined }): { addOIDCScope(scope: string): void; save(): Promise<string> };
        find(id: string): Promise<unknown>;
      };
    };
  };
}

export async function startOidcIdp(redirectUris: string[]): Promise<OidcIdp> {
  const { default: Provider } = await import('oidc-provider');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'idp-key', alg: 'RS256', use: 'sig' };
  const accounts = new Map<string, Record<string, unknown>>();
  const clientId = 'userpoold-rp';
  const clientSecret = 'a-client-secret-for-the-tests';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: ['a-cookie-key-for-the-tests'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
    pkce: { required: () => false },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, ...accounts.get(id) }),
    }),
    // Consent granted by itself: the test drives the login page only.
    loadExistingGrant: async (ctx: GrantContext) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  } as never);
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
