import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

const PASSWORD = 'Correct-Horse-1';

/**
 * A backend that verifies tokens with AWS's own verifier library. It accepts only AWS's issuer
 * (https://cognito-idp.<region>.amazonaws.com/<poolId>), so the server issues that form with
 * --issuer-format aws, and the keys come from this server (docs/embedding.md).
 */
describe('aws-jwt-verify against userpoold', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ config: { issuerFormat: 'aws' } });
    // The verifier checks exp and iat against the real clock.
    server.clock.set(Date.now());
  });
  after(() => server.close());

  async function tokens() {
    const { poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'backend' }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await createConfirmedUser(server.client, poolId, 'gus', { password: PASSWORD });
    const out = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'gus', PASSWORD } }));
    const jwks = (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as Jwks;
    return { poolId, clientId, jwks, result: out.AuthenticationResult ?? assert.fail('no tokens') };
  }

  it('CognitoJwtVerifier verifies ID and access tokens once given the JWKS served here', async () => {
    const { poolId, clientId, jwks, result } = await tokens();
    const idVerifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'id', clientId });
    idVerifier.cacheJwks(jwks);
    const id = await idVerifier.verify(result.IdToken as string);
    assert.equal(id['cognito:username'], 'gus');
    assert.equal(id.iss, `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`);

    const accessVerifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId });
    accessVerifier.cacheJwks(jwks);
    const access = await accessVerifier.verify(result.AccessToken as string);
    assert.equal(access.username, 'gus');
    // The same verifier refuses a token of another client.
    const other = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId: 'someotherclient' });
    other.cacheJwks(jwks);
    await assert.rejects(other.verify(result.AccessToken as string));
  });

  it('the discovery document points at the keys served here, and JwtRsaVerifier verifies with them', async () => {
    const { poolId, clientId, result } = await tokens();
    const discovery = (await (await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    assert.equal(discovery.issuer, `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`);
    assert.equal(discovery.jwks_uri, `${server.url}/${poolId}/.well-known/jwks.json`);
    // Its own fetcher speaks only https: a plain-http userpoold hands it the keys instead.
    const verifier = JwtRsaVerifier.create({ issuer: discovery.issuer, audience: clientId, jwksUri: discovery.jwks_uri });
    verifier.cacheJwks((await (await fetch(discovery.jwks_uri)).json()) as Jwks);
    const id = await verifier.verify(result.IdToken as string);
    assert.equal(id.token_use, 'id');
  });

  it('the server still accepts its own tokens in the AWS form (GetUser)', async () => {
    const { result } = await tokens();
    const { GetUserCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    const user = await server.client.send(new GetUserCommand({ AccessToken: result.AccessToken }));
    assert.equal(user.Username, 'gus');
  });
});
