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
        // Only what is served is advertised: no authorization, token or userInfo endpoint exists
        // until the OAuth 2.0 endpoints are built, so no response type or scope is claimed.
        return json({
          issuer: issuerOf(deps, ctx.baseUrl, poolId),
          jwks_uri: `${here}/${poolId}/.well-known/jwks.json`,
          response_types_supported: [],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'token_use', 'cognito:username', 'cognito:groups', 'email', 'email_verified', 'phone_number', 'phone_number_verified'],
        });
      },
    }),
  ];
}
