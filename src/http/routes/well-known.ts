import type { Deps } from '../../services/deps.js';
import type { GetRoute } from '../server.js';
import { issuerOf, poolJwks } from '../../services/tokens/tokens.js';

const WELL_KNOWN = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/(jwks\.json|openid-configuration)$/;

/**
 * `/<poolId>/.well-known/jwks.json` (the pool's public signing keys) and
 * `/<poolId>/.well-known/openid-configuration` (discovery for JWT verifiers), as Cognito
 * serves them under its issuer URL.
 */
export function wellKnownRoute(deps: Deps): GetRoute {
  return async (path, ctx) => {
    const match = WELL_KNOWN.exec(path);
    if (!match) return undefined;
    const [, poolId = '', document] = match;
    if (!(await deps.store.getPool(poolId))) return { status: 404, body: { message: `User pool ${poolId} does not exist.` } };
    if (document === 'jwks.json') return { status: 200, body: await poolJwks(deps, poolId) };
    const issuer = issuerOf(deps, ctx.baseUrl, poolId);
    return {
      status: 200,
      body: {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        response_types_supported: ['code', 'token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'phone', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'token_use', 'cognito:username', 'email', 'email_verified', 'phone_number', 'phone_number_verified'],
      },
    };
  };
}
