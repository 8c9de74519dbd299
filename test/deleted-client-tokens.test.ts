import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

/** Security review finding 11a: deleting an app client ends its tokens at once. */
for (const dialect of E2E_DIALECTS) describe(`tokens of a deleted app client (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  it('refuses its access and refresh tokens, and leaves other clients’ tokens alone', async () => {
    const pool = await server.client.send(new CreateUserPoolCommand({ PoolName: 'clients' }));
    const poolId = pool.UserPool?.Id as string;
    const newClient = async (name: string) =>
      (
        await server.client.send(
          new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: name, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
        )
      ).UserPoolClient?.ClientId as string;
    const doomed = await newClient('doomed');
    const kept = await newClient('kept');
    await server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ana', MessageAction: 'SUPPRESS' }));
    await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ana', Password: 'Correct-Horse-1', Permanent: true }));
    const signIn = async (clientId: string) =>
      (
        await server.client.send(
          new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ana', PASSWORD: 'Correct-Horse-1' } }),
        )
      ).AuthenticationResult;
    const doomedTokens = await signIn(doomed);
    const keptTokens = await signIn(kept);
    const getUser = (token: string | undefined) => server.client.send(new GetUserCommand({ AccessToken: token }));
    assert.equal((await getUser(doomedTokens?.AccessToken)).Username, 'ana');

    await server.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: doomed }));
    await expectAwsError(() => getUser(doomedTokens?.AccessToken), 'NotAuthorizedException', 'Invalid Access Token');
    await expectAwsError(
      () =>
        server.client.send(
          new InitiateAuthCommand({ ClientId: doomed, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: doomedTokens?.RefreshToken as string } }),
        ),
      'ResourceNotFoundException',
      `User pool client ${doomed} does not exist.`,
    );
    // Presented to another client of the pool, the refresh token is not that client's.
    await expectAwsError(
      () =>
        server.client.send(
          new InitiateAuthCommand({ ClientId: kept, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: doomedTokens?.RefreshToken as string } }),
        ),
      'NotAuthorizedException',
      'Invalid Refresh Token.',
    );
    assert.equal((await getUser(keptTokens?.AccessToken)).Username, 'ana');
  });
});
