import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableProviderForUserCommand,
  AdminInitiateAuthCommand,
  AdminLinkProviderForUserCommand,
  AdminSetUserPasswordCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteIdentityProviderCommand,
  DeleteUserPoolCommand,
  DescribeIdentityProviderCommand,
  GetIdentityProviderByIdentifierCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
  type CreateIdentityProviderCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const OIDC_DETAILS = { client_id: 'rp', client_secret: 's3cret', authorize_scopes: 'openid email', oidc_issuer: 'https://idp.example.com', attributes_request_method: 'GET' };

describe('identity providers (CreateIdentityProvider ... GetIdentityProviderByIdentifier)', () => {
  let server: TestServer;
  const newPool = async () => (await server.client.send(new CreateUserPoolCommand({ PoolName: 'idp' }))).UserPool?.Id as string;
  const create = (input: Omit<CreateIdentityProviderCommandInput, 'ProviderDetails'> & { ProviderDetails?: Record<string, string> }) =>
    server.client.send(new CreateIdentityProviderCommand({ ProviderDetails: OIDC_DETAILS, ...input }));
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('creates an OIDC provider, describes it with its details, mapping and identifiers, lists, updates and deletes it', async () => {
    const poolId = await newPool();
    const created = await create({ UserPoolId: poolId, ProviderName: 'Corp', ProviderType: 'OIDC', AttributeMapping: { email: 'email', name: 'name' }, IdpIdentifiers: ['corp.example.com'] });
    assert.equal(created.IdentityProvider?.ProviderName, 'Corp');
    assert.equal(created.IdentityProvider?.UserPoolId, poolId);
    assert.deepEqual(created.IdentityProvider?.ProviderDetails, OIDC_DETAILS);
    assert.ok(created.IdentityProvider?.CreationDate instanceof Date);
    const described = (await server.client.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }))).IdentityProvider;
    assert.deepEqual(described?.ProviderDetails, OIDC_DETAILS);
    assert.deepEqual(described?.AttributeMapping, { email: 'email', name: 'name' });
    assert.deepEqual(described?.IdpIdentifiers, ['corp.example.com']);
    const byId = await server.client.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'corp.example.com' }));
    assert.equal(byId.IdentityProvider?.ProviderName, 'Corp');

    // Update: given members replace; an absent secret stays.
    const updated = await server.client.send(
      new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', ProviderDetails: { ...OIDC_DETAILS, client_secret: undefined as unknown as string, client_id: 'rp2' }, IdpIdentifiers: [] }),
    );
    assert.equal(updated.IdentityProvider?.ProviderDetails?.client_id, 'rp2');
    assert.equal(updated.IdentityProvider?.ProviderDetails?.client_secret, 's3cret');
    assert.deepEqual(updated.IdentityProvider?.AttributeMapping, { email: 'email', name: 'name' });
    await expectAwsError(
      () => server.client.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'corp.example.com' })),
      'ResourceNotFoundException',
      'Identity provider with identifier corp.example.com does not exist.',
    );

    await create({ UserPoolId: poolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'g', client_secret: 'gs', authorize_scopes: 'openid email profile' } });
    const listed = await server.client.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 1 }));
    assert.deepEqual(listed.Providers?.map((p) => [p.ProviderName, p.ProviderType]), [['Corp', 'OIDC']]);
    const next = await server.client.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, NextToken: listed.NextToken }));
    assert.deepEqual(next.Providers?.map((p) => p.ProviderName), ['Google']);
    assert.equal(next.NextToken, undefined);

    await server.client.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
    await expectAwsError(() => server.client.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })), 'ResourceNotFoundException', 'Identity provider Corp does not exist.');
    await expectAwsError(() => server.client.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })), 'ResourceNotFoundException', 'Identity provider Corp does not exist.');
    await expectAwsError(
      () => server.client.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', AttributeMapping: {} })),
      'ResourceNotFoundException',
      'Identity provider Corp does not exist.',
    );
  });

  it('social providers get their endpoints filled as AWS shows them, and take given ones (for local providers)', async () => {
    const poolId = await newPool();
    const google = await create({ UserPoolId: poolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'g', client_secret: 'gs', authorize_scopes: 'openid' } });
    assert.equal(google.IdentityProvider?.ProviderDetails?.authorize_url, 'https://accounts.google.com/o/oauth2/v2/auth');
    assert.equal(google.IdentityProvider?.ProviderDetails?.oidc_issuer, 'https://accounts.google.com');
    const apple = await create({
      UserPoolId: poolId,
      ProviderName: 'SignInWithApple',
      ProviderType: 'SignInWithApple',
      ProviderDetails: { client_id: 'a', team_id: 't', key_id: 'k', private_key: 'pem', authorize_scopes: 'email', authorize_url: 'http://127.0.0.1:9/auth' },
    });
    assert.equal(apple.IdentityProvider?.ProviderDetails?.authorize_url, 'http://127.0.0.1:9/auth');
    assert.equal(apple.IdentityProvider?.ProviderDetails?.private_key, 'pem');
    const saml = await create({ UserPoolId: poolId, ProviderName: 'Okta', ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://okta.example.com/metadata' } });
    assert.deepEqual(saml.IdentityProvider?.ProviderDetails, { MetadataURL: 'https://okta.example.com/metadata' });
  });

  it('refuses duplicates, reserved and mis-named providers, wrong ProviderDetails and bad names, by name and text', async () => {
    const poolId = await newPool();
    await create({ UserPoolId: poolId, ProviderName: 'Corp', ProviderType: 'OIDC', IdpIdentifiers: ['corp'] });
    await expectAwsError(() => create({ UserPoolId: poolId, ProviderName: 'Corp', ProviderType: 'OIDC' }), 'DuplicateProviderException', 'A provider with the name Corp already exists in this user pool.');
    await expectAwsError(
      () => create({ UserPoolId: poolId, ProviderName: 'Other', ProviderType: 'OIDC', IdpIdentifiers: ['corp'] }),
      'DuplicateProviderException',
      'The identifier corp is already used by another provider in this user pool.',
    );
    await expectAwsError(() => create({ UserPoolId: poolId, ProviderName: 'COGNITO', ProviderType: 'OIDC' }), 'InvalidParameterException', 'Provider name COGNITO is reserved.');
    await expectAwsError(() => create({ UserPoolId: poolId, ProviderName: 'Cognito', ProviderType: 'OIDC' }), 'InvalidParameterException', 'Provider name Cognito is reserved.');
    await expectAwsError(
      () => create({ UserPoolId: poolId, ProviderName: 'MyGoogle', ProviderType: 'Google', ProviderDetails: { client_id: 'g', client_secret: 's', authorize_scopes: 'openid' } }),
      'InvalidParameterException',
      'Provider MyGoogle cannot be of type Google.',
    );
    const { client_id: _omit, ...noClientId } = OIDC_DETAILS;
    await expectAwsError(() => create({ UserPoolId: poolId, ProviderName: 'NoId', ProviderType: 'OIDC', ProviderDetails: noClientId }), 'InvalidParameterException', 'client_id is required for OIDC identity providers.');
    await expectAwsError(
      () => create({ UserPoolId: poolId, ProviderName: 'Extra', ProviderType: 'OIDC', ProviderDetails: { ...OIDC_DETAILS, colour: 'blue' } }),
      'InvalidParameterException',
      'colour is not a supported provider detail for OIDC identity providers.',
    );
    await expectAwsError(
      () => create({ UserPoolId: poolId, ProviderName: 'Method', ProviderType: 'OIDC', ProviderDetails: { ...OIDC_DETAILS, attributes_request_method: 'PUT' } }),
      'InvalidParameterException',
      'attributes_request_method must be GET or POST.',
    );
    await expectAwsError(
      () => create({ UserPoolId: poolId, ProviderName: 'Plain', ProviderType: 'OIDC', ProviderDetails: { ...OIDC_DETAILS, oidc_issuer: 'http://idp.example.com' } }),
      'InvalidParameterException',
      'oidc_issuer must be an https URL.',
    );
    await expectAwsError(
      () => create({ UserPoolId: poolId, ProviderName: 'Saml', ProviderType: 'SAML', ProviderDetails: { IDPSignout: 'true' } }),
      'InvalidParameterException',
      'Either MetadataURL or MetadataFile must be provided for SAML identity providers, not both.',
    );
    // The model's ProviderNameTypeV2: `_` or whitespace only as the second character, at least 3 characters (§4.7).
    for (const name of ['_ab', 'a b c', 'ab', 'x'.repeat(33)]) {
      await expectAwsError(() => create({ UserPoolId: poolId, ProviderName: name, ProviderType: 'OIDC' }), 'InvalidParameterException', /Value '.*' at 'providerName' failed to satisfy constraint: Member must/);
    }
    await create({ UserPoolId: poolId, ProviderName: 'a_b', ProviderType: 'OIDC' });
    await expectAwsError(
      () => create({ UserPoolId: 'us-east-1_nothere', ProviderName: 'Corp', ProviderType: 'OIDC' }),
      'ResourceNotFoundException',
      'User pool us-east-1_nothere does not exist.',
    );
    await expectAwsError(
      () => server.client.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'a_b', IdpIdentifiers: ['corp'] })),
      'InvalidParameterException',
      'The identifier corp is already used by another provider in this user pool.',
    );
  });

  it('app clients may name the pool’s providers in SupportedIdentityProviders, and no others', async () => {
    const poolId = await newPool();
    const message = `The provider Google does not exist for User Pool ${poolId}`;
    await expectAwsError(
      () => server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', SupportedIdentityProviders: ['COGNITO', 'Google'] })),
      'InvalidParameterException',
      message,
    );
    const client = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', SupportedIdentityProviders: ['COGNITO'] }));
    const clientId = client.UserPoolClient?.ClientId as string;
    await expectAwsError(
      () => server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, SupportedIdentityProviders: ['Google'] })),
      'InvalidParameterException',
      message,
    );
    await create({ UserPoolId: poolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'g', client_secret: 's', authorize_scopes: 'openid' } });
    const updated = await server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, SupportedIdentityProviders: ['COGNITO', 'Google'] }));
    assert.deepEqual(updated.UserPoolClient?.SupportedIdentityProviders, ['COGNITO', 'Google']);
  });

  it('deleting the pool deletes its providers', async () => {
    const poolId = await newPool();
    await create({ UserPoolId: poolId, ProviderName: 'Corp', ProviderType: 'OIDC' });
    await server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    await expectAwsError(() => server.client.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })), 'ResourceNotFoundException', `User pool ${poolId} does not exist.`);
  });
});

describe('AdminLinkProviderForUser and AdminDisableProviderForUser (cognito-facts-areas.md §4.8)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function poolWithProviders() {
    const poolId = (await server.client.send(new CreateUserPoolCommand({ PoolName: 'links' }))).UserPool?.Id as string;
    await server.client.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'g', client_secret: 's', authorize_scopes: 'openid' } }));
    await server.client.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: OIDC_DETAILS }));
    await server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS' }));
    return poolId;
  }
  const link = (poolId: string, destination: string, providerName: string, attribute: string, value: string) =>
    server.client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: poolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: destination },
        SourceUser: { ProviderName: providerName, ProviderAttributeName: attribute, ProviderAttributeValue: value },
      }),
    );
  const disable = (poolId: string, providerName: string, attribute: string, value: string) =>
    server.client.send(new AdminDisableProviderForUserCommand({ UserPoolId: poolId, User: { ProviderName: providerName, ProviderAttributeName: attribute, ProviderAttributeValue: value } }));

  it('links identities to a user (again: no change), at most five, and refuses what AWS refuses', async () => {
    const poolId = await poolWithProviders();
    await link(poolId, 'alice', 'Google', 'Cognito_Subject', '1001');
    await link(poolId, 'alice', 'Google', 'Cognito_Subject', '1001');
    await link(poolId, 'alice', 'Corp', 'email', 'alice@corp.example');
    await server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bob', MessageAction: 'SUPPRESS' }));
    await expectAwsError(() => link(poolId, 'bob', 'Google', 'Cognito_Subject', '1001'), 'InvalidParameterException', 'The SourceUser is already linked to another user.');
    await expectAwsError(() => link(poolId, 'alice', 'Google', 'email', 'a@gmail.com'), 'InvalidParameterException', 'SourceUser.ProviderAttributeName must be Cognito_Subject for Google.');
    await expectAwsError(() => link(poolId, 'alice', 'Nope', 'Cognito_Subject', '1'), 'ResourceNotFoundException', 'Identity provider Nope does not exist.');
    await expectAwsError(() => link(poolId, 'nobody', 'Google', 'Cognito_Subject', '2'), 'UserNotFoundException', 'User does not exist.');
    await expectAwsError(
      () =>
        server.client.send(
          new AdminLinkProviderForUserCommand({
            UserPoolId: poolId,
            DestinationUser: { ProviderName: 'Google', ProviderAttributeValue: 'alice' },
            SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: '9' },
          }),
        ),
      'InvalidParameterException',
      "DestinationUser.ProviderName must be Cognito, and ProviderAttributeValue the user's username.",
    );
    // An identity that has signed in already has its own user, Google_<subject>: no merging.
    await server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'Google_2002', MessageAction: 'SUPPRESS' }));
    await expectAwsError(
      () => link(poolId, 'alice', 'Google', 'Cognito_Subject', '2002'),
      'InvalidParameterException',
      'Merging is not currently supported, provide a SourceUser that has not been signed up in order to link',
    );
    for (const sub of ['3', '4', '5']) await link(poolId, 'alice', 'Corp', 'Cognito_Subject', sub);
    await expectAwsError(() => link(poolId, 'alice', 'Corp', 'Cognito_Subject', '6'), 'LimitExceededException', 'A user can be linked to at most 5 identity provider users.');
    // Disabling a link frees a place and the identity (it may then link elsewhere).
    await disable(poolId, 'Google', 'Cognito_Subject', '1001');
    await expectAwsError(() => disable(poolId, 'Google', 'Cognito_Subject', '1001'), 'UserNotFoundException', 'User does not exist.');
    await link(poolId, 'bob', 'Google', 'Cognito_Subject', '1001');
    await link(poolId, 'alice', 'Corp', 'Cognito_Subject', '6');
    // Deleting a user deletes their links.
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'bob' }));
    await link(poolId, 'Google_2002', 'Google', 'Cognito_Subject', '1001');
  });

  it('disabling a local user (Cognito, Cognito_Subject, username) stops their password', async () => {
    const poolId = await poolWithProviders();
    const clientId = (
      await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))
    ).UserPoolClient?.ClientId as string;
    await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: 'Passw0rd!x', Permanent: true }));
    const signIn = () =>
      server.client.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD: 'Passw0rd!x' } }));
    assert.ok((await signIn()).AuthenticationResult?.AccessToken);
    await expectAwsError(() => disable(poolId, 'Cognito', 'email', 'alice'), 'InvalidParameterException', 'User.ProviderAttributeName must be Cognito_Subject for Cognito users.');
    await expectAwsError(() => disable(poolId, 'Cognito', 'Cognito_Subject', 'nobody'), 'UserNotFoundException', 'User does not exist.');
    await disable(poolId, 'Cognito', 'Cognito_Subject', 'alice');
    await expectAwsError(signIn, 'NotAuthorizedException', 'Incorrect username or password.');
  });
});
