import type { Deps } from '../../services/deps.js';
import { issuerOf, poolJwks } from '../../services/tokens/tokens.js';
import { defineRoute, json, type Route } from './route.js';

/** The user pool id pattern of the model: anything else is no pool's path. */
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/**
 * `/<poolId>/.well-known/jwks.json` (the pool's public signing keys) and
 * `/<poolId>/.well-known/openid-configuration` (discovery for JWT verifiers), as Cognito
 * serves them under its issuer URL. Public documents: any origin may read them.
 */
export function wellKnownRoutes(deps: Deps): Route[] {
  const missing = (poolId: string) => json({ message: `User pool ${poolId} does not exist.` }, 404);
  return [
    defineRoute({
      name: 'jwks',
      methods: ['GET'],
      path: '/:poolId/.well-known/jwks.json',
      params: { poolId: POOL_ID },
      body: { kind: 'none' },
      cors: true,
      async handle({ params }) {
        const poolId = params.poolId as string;
        if (!(await deps.store.getPool(poolId))) return missing(poolId);
        return json(await poolJwks(deps, poolId));
      },
    }),
    defineRoute({
      name: 'openid-configuration',
      methods: ['GET'],
      path: '/:poolId/.well-known/openid-configuration',
      params: { poolId: POOL_ID },
      body: { kind: 'none' },
      cors: true,
      async handle({ params, ctx }) {
        const poolId = params.poolId as string;
        if (!(await deps.store.getPool(poolId))) return missing(poolId);
        // The keys are always served here, whatever form the issuer takes (--issuer-format aws).
        const here = (deps.config.publicUrl ?? ctx.baseUrl).replace(/\/+$/, '');
        // Only what is served is advertised: the OAuth 2.0 endpoints exist once the pool has a
        // domain (routes/oauth/endpoint-pool.ts), and then only the code flow with PKCE S256.
        const oauth = (await deps.store.domainsOfPool(poolId)).length > 0;
        const endpoints = `${here}/${poolId}`;
        return json({
          issuer: issuerOf(deps, ctx.baseUrl, poolId),
          jwks_uri: `${here}/${poolId}/.well-known/jwks.json`,
          ...(oauth && {
            authorization_endpoint: `${endpoints}/oauth2/authorize`,
            token_endpoint: `${endpoints}/oauth2/token`,
            userinfo_endpoint: `${endpoints}/oauth2/userInfo`,
            revocation_endpoint: `${endpoints}/oauth2/revoke`,
            end_session_endpoint: `${endpoints}/logout`,
            grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
            revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
            code_challenge_methods_supported: ['S256'],
            scopes_supported: ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'],
          }),
          response_types_supported: oauth ? ['code', 'token'] : [],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'token_use', 'cognito:username', 'cognito:groups', 'email', 'email_verified', 'phone_number', 'phone_number_verified'],
        });
      },
    }),
  ];
}
