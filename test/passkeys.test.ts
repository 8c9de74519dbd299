import {
  AdminGetUserAuthFactorsCommand,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';
import { SoftwareAuthenticator, type Algorithm } from './support/webauthn-authenticator.js';

const PASSWORD = 'Correct-Horse-1';
const RP_ID = 'example.com';
const ORIGIN = 'https://example.com';
const FLOWS = ['ALLOW_USER_AUTH' as const, 'ALLOW_USER_PASSWORD_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const];
const FAILED = 'The passkey could not be verified.';
const EXPIRED_SESSION = 'Invalid session for the user, session is expired.';

/** Passkeys (cognito-facts-areas.md §3.6) through the AWS SDK, with a software authenticator whose attestations and assertions are real. */
for (const dialect of E2E_DIALECTS) describe(`passkeys (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dialect });
  });
  after(() => server.close());

  async function passkeyPool(rpId: string | null = RP_ID, factors: ('PASSWORD' | 'WEB_AUTHN' | 'EMAIL_OTP')[] = ['PASSWORD', 'WEB_AUTHN']) {
    const made = await createPoolWithClient(server.client, { PoolName: 'passkeys', Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } } }, { ExplicitAuthFlows: FLOWS });
    if (rpId !== null) await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: made.poolId, WebAuthnConfiguration: { RelyingPartyId: rpId } }));
    return made;
  }

  async function signedIn(poolId: string, clientId: string, username: string): Promise<string> {
    await createConfirmedUser(server.client, poolId, username, { password: PASSWORD, attributes: verifiedEmail(username) });
    const res = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));
    return res.AuthenticationResult?.AccessToken as string;
  }

  const startRegistration = async (token: string) =>
    (await server.client.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }))).CredentialCreationOptions as Record<string, unknown>;

  async function register(token: string, authenticator: SoftwareAuthenticator): Promise<void> {
    const options = await startRegistration(token);
    await server.client.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: authenticator.register(options) as never }));
  }

  const startPasskey = (clientId: string, username: string) =>
    server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' } }));

  const answer = (clientId: string, challenge: InitiateAuthCommandOutput, username: string, credential: unknown) =>
    server.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'WEB_AUTHN',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(credential) },
      }),
    );

  const requestOptions = (challenge: InitiateAuthCommandOutput) => JSON.parse(challenge.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? 'null') as Record<string, unknown>;

  for (const algorithm of ['ES256', 'RS256'] as Algorithm[]) {
    it(`registers a ${algorithm} passkey, lists it, signs in with it through WEB_AUTHN, deletes it`, async () => {
      const { poolId, clientId } = await passkeyPool();
      const token = await signedIn(poolId, clientId, `u-${algorithm}`);
      const authenticator = new SoftwareAuthenticator({ algorithm, origin: ORIGIN, rpId: RP_ID });
      const options = await startRegistration(token);
      assert.equal((options.rp as { id: string }).id, RP_ID);
      assert.deepEqual(
        (options.pubKeyCredParams as { alg: number }[]).map((p) => p.alg),
        [-7, -257],
      );
      await server.client.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: authenticator.register(options) as never }));

      const listed = await server.client.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
      assert.equal(listed.Credentials?.length, 1);
      assert.equal(listed.Credentials?.[0]?.CredentialId, authenticator.id);
      assert.equal(listed.Credentials?.[0]?.RelyingPartyId, RP_ID);
      assert.equal(listed.Credentials?.[0]?.AuthenticatorAttachment, 'platform');
      assert.deepEqual(listed.Credentials?.[0]?.AuthenticatorTransports, ['internal']);
      assert.ok(listed.Credentials?.[0]?.CreatedAt instanceof Date);
      const factors = await server.client.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: `u-${algorithm}` }));
      assert.deepEqual(factors.ConfiguredUserAuthFactors, ['PASSWORD', 'WEB_AUTHN']);

      const choice = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: `u-${algorithm}` } }));
      assert.deepEqual(choice.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']);
      const challenge = await startPasskey(clientId, `u-${algorithm}`);
      assert.equal(challenge.ChallengeName, 'WEB_AUTHN');
      const request = requestOptions(challenge);
      assert.equal(request.rpId, RP_ID);
      assert.deepEqual((request.allowCredentials as { id: string }[]).map((c) => c.id), [authenticator.id]);
      const done = await answer(clientId, challenge, `u-${algorithm}`, authenticator.assert(request));
      assert.ok(done.AuthenticationResult?.AccessToken);

      await server.client.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: authenticator.id }));
      assert.deepEqual((await server.client.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials, []);
      await expectAwsError(
        () => server.client.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: authenticator.id })),
        'ResourceNotFoundException',
        'The user has no passkey with this credential id.',
      );
    });
  }

  it('SELECT_CHALLENGE with ANSWER WEB_AUTHN answers the passkey challenge', async () => {
    const { poolId, clientId } = await passkeyPool();
    const token = await signedIn(poolId, clientId, 'sel');
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, rpId: RP_ID });
    await register(token, authenticator);
    const choice = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'sel' } }));
    const challenge = await server.client.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SELECT_CHALLENGE', Session: choice.Session, ChallengeResponses: { USERNAME: 'sel', ANSWER: 'WEB_AUTHN' } }),
    );
    assert.equal(challenge.ChallengeName, 'WEB_AUTHN');
    const done = await answer(clientId, challenge, 'sel', authenticator.assert(requestOptions(challenge)));
    assert.ok(done.AuthenticationResult?.IdToken);
  });

  it('refuses a replayed assertion, a cloned authenticator, a wrong origin or relying party', async () => {
    const { poolId, clientId } = await passkeyPool();
    const token = await signedIn(poolId, clientId, 'rex');
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, rpId: RP_ID });
    await register(token, authenticator);

    const first = await startPasskey(clientId, 'rex');
    const assertion = authenticator.assert(requestOptions(first));
    assert.ok((await answer(clientId, first, 'rex', assertion)).AuthenticationResult);
    // The same assertion again: its challenge is spent.
    await expectAwsError(() => answer(clientId, first, 'rex', assertion), 'NotAuthorizedException', EXPIRED_SESSION);

    // A clone that lags behind the original's counter.
    const clone = authenticator.clone();
    const second = await startPasskey(clientId, 'rex');
    assert.ok((await answer(clientId, second, 'rex', authenticator.assert(requestOptions(second)))).AuthenticationResult);
    clone.counter = 0;
    const third = await startPasskey(clientId, 'rex');
    await expectAwsError(() => answer(clientId, third, 'rex', clone.assert(requestOptions(third))), 'NotAuthorizedException', FAILED);

    const fourth = await startPasskey(clientId, 'rex');
    await expectAwsError(() => answer(clientId, fourth, 'rex', authenticator.assert(requestOptions(fourth), { origin: 'https://evil.example' })), 'NotAuthorizedException', FAILED);
    const fifth = await startPasskey(clientId, 'rex');
    await expectAwsError(() => answer(clientId, fifth, 'rex', authenticator.assert(requestOptions(fifth), { rpId: 'evil.example' })), 'NotAuthorizedException', FAILED);
    const sixth = await startPasskey(clientId, 'rex');
    await expectAwsError(
      () => server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'WEB_AUTHN', Session: sixth.Session, ChallengeResponses: { USERNAME: 'rex', CREDENTIAL: '{"id":' } })),
      'InvalidParameterException',
      'CREDENTIAL is not an AuthenticationResponseJSON.',
    );
  });

  it('registration refusals carry the WebAuthn exceptions of the model', async () => {
    const { poolId, clientId } = await passkeyPool();
    const token = await signedIn(poolId, clientId, 'reg');
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, rpId: RP_ID });
    const complete = (credential: unknown, accessToken = token) => server.client.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential as never }));

    await expectAwsError(async () => complete(authenticator.register(await startRegistration(token), { origin: 'https://evil.example' })), 'WebAuthnOriginNotAllowedException', /https:\/\/evil\.example is not allowed/);
    await expectAwsError(async () => complete(authenticator.register(await startRegistration(token), { rpId: 'evil.example' })), 'WebAuthnRelyingPartyMismatchException', 'The passkey was made for another relying party.');
    await expectAwsError(() => complete(authenticator.register({ challenge: Buffer.from('made-up').toString('base64url') })), 'WebAuthnChallengeNotFoundException', /challenge was not found/);
    const options = await startRegistration(token);
    const good = authenticator.register(options);
    const bad = { ...good, response: { ...(good.response as object), attestationObject: Buffer.from('not cbor').toString('base64url') } };
    await expectAwsError(() => complete(bad), 'WebAuthnCredentialNotSupportedException', PASSKEY_NOT_SUPPORTED);
    // The challenge was spent by the failed answer.
    await expectAwsError(() => complete(good), 'WebAuthnChallengeNotFoundException', /challenge was not found/);
    // Huge client data and malformed input: the model's errors, never a 500.
    const huge = { ...good, response: { ...(good.response as object), clientDataJSON: 'A'.repeat(100_000) } };
    await expectAwsError(() => complete(huge), 'WebAuthnCredentialNotSupportedException', PASSKEY_NOT_SUPPORTED);
    await expectAwsError(() => complete('not json'), 'WebAuthnCredentialNotSupportedException', PASSKEY_NOT_SUPPORTED);
    await expectAwsError(() => complete([1, 2]), 'WebAuthnCredentialNotSupportedException', PASSKEY_NOT_SUPPORTED);

    // Started on one app client, completed with another's token.
    const other = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'other', ExplicitAuthFlows: FLOWS }));
    const otherToken = (
      await server.client.send(new InitiateAuthCommand({ ClientId: other.UserPoolClient?.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'reg', PASSWORD } }))
    ).AuthenticationResult?.AccessToken as string;
    await expectAwsError(async () => complete(authenticator.register(await startRegistration(token)), otherToken), 'WebAuthnClientMismatchException', 'The passkey registration was started by another app client.');
    // Another user's challenge is not this user's.
    const mallory = await signedIn(poolId, clientId, 'mallory');
    await expectAwsError(async () => complete(authenticator.register(await startRegistration(token)), mallory), 'WebAuthnChallengeNotFoundException', /challenge was not found/);
  });

  it('needs WEB_AUTHN among the first factors and a relying party id; --webauthn-rp-id is the fallback', async () => {
    const off = await passkeyPool(RP_ID, ['PASSWORD', 'EMAIL_OTP']);
    const offToken = await signedIn(off.poolId, off.clientId, 'off');
    await expectAwsError(() => startRegistration(offToken), 'WebAuthnNotEnabledException', /not enabled for this user pool/);

    const noRp = await passkeyPool(null);
    const noRpToken = await signedIn(noRp.poolId, noRp.clientId, 'norp');
    await expectAwsError(() => startRegistration(noRpToken), 'WebAuthnConfigurationMissingException', /no passkey relying party id/);

    const local = await startServer({ config: { webauthnRpId: 'localhost' } });
    try {
      const made = await createPoolWithClient(local.client, { PoolName: 'local', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } }, { ExplicitAuthFlows: FLOWS });
      await createConfirmedUser(local.client, made.poolId, 'lo', { password: PASSWORD });
      const token = (await local.client.send(new InitiateAuthCommand({ ClientId: made.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'lo', PASSWORD } }))).AuthenticationResult
        ?.AccessToken as string;
      const options = (await local.client.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }))).CredentialCreationOptions as Record<string, unknown>;
      assert.equal((options.rp as { id: string }).id, 'localhost');
      const authenticator = new SoftwareAuthenticator({ origin: 'http://localhost:3000', rpId: 'localhost' });
      await local.client.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: authenticator.register(options) as never }));
      assert.equal((await local.client.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials?.[0]?.RelyingPartyId, 'localhost');
    } finally {
      await local.close();
    }
  });

  it('GetUserPoolMfaConfig shows the passkey settings; passkeys as a second factor are refused by name', async () => {
    const { poolId } = await passkeyPool();
    const config = await server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
    assert.deepEqual(config.WebAuthnConfiguration, { RelyingPartyId: RP_ID, UserVerification: 'preferred', FactorConfiguration: 'SINGLE_FACTOR' });
    assert.equal(config.MfaConfiguration, 'OFF');
    await expectAwsError(
      () => server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' } })),
      'InvalidParameterException',
      /passkeys as a second factor/,
    );
  });

  it('user verification required: an authenticator that did not verify the user is refused', async () => {
    const { poolId, clientId } = await passkeyPool();
    await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: RP_ID, UserVerification: 'required' } }));
    const token = await signedIn(poolId, clientId, 'uv');
    const presenceOnly = new SoftwareAuthenticator({ origin: ORIGIN, rpId: RP_ID, userVerified: false });
    await expectAwsError(
      async () => server.client.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: presenceOnly.register(await startRegistration(token)) as never })),
      'WebAuthnCredentialNotSupportedException',
      PASSKEY_NOT_SUPPORTED,
    );
  });
});

const PASSKEY_NOT_SUPPORTED = 'The passkey credential is not supported or could not be verified.';
