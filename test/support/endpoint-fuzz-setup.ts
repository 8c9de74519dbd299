import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { selfSignedCertificate } from '../../src/services/tokens/self-signed-certificate.js';
import type { TestServer } from './server.js';

/** What test/endpoint-fuzz.test.ts sets up on its server: real values for its cases to use. */
export interface Setup {
  poolId: string;
  /** A pool that exists but has no domain: it has no endpoints. */
  bareId: string;
  domainHost: string;
  webClientId: string;
  machineClientId: string;
  machineSecret: string;
  accessToken: string;
  refreshToken: string;
  machineToken: string;
  jobId: string;
  signature: string;
  /** The presigned URL's path and query. */
  uploadTarget: string;
  csrfCookie: string;
  csrfToken: string;
  /** The managed login session of fuzzuser, signed in on the login page. */
  sessionCookie: string;
  csvHeader: string[];
  /** The state the server gave the OIDC provider's authorize redirect, and the SAML one's RelayState. */
  oidcState: string;
  samlRelayState: string;
  /** The cookies those redirects set, binding the states to this browser ('name=value; ...'). */
  federationCookie: string;
}

export const CALLBACK = 'https://app.example/callback';
export const LOGOUT = 'https://app.example/signed-out';
/** A local port nothing listens on: the identity providers point here, so nothing leaves the machine. */
export const NOWHERE = 'http://127.0.0.1:1';

/**
 * A pool with a domain; a web client with the code and implicit flows and a machine client with
 * client_credentials for a resource server's scope; an OIDC and a SAML provider pointed at a
 * port nothing listens on; a user with tokens; an import job with its presigned URL; a real
 * CSRF cookie and token from the login page.
 */
export async function setUp(server: TestServer): Promise<Setup> {
  const client = server.client;
  const pool = await client.send(new sdk.CreateUserPoolCommand({ PoolName: 'endpoint-fuzz', AutoVerifiedAttributes: ['email'] }));
  const poolId = pool.UserPool?.Id as string;
  const bare = await client.send(new sdk.CreateUserPoolCommand({ PoolName: 'no-domain' }));
  await client.send(new sdk.CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'fuzz-tests' }));
  await client.send(new sdk.CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'fuzz-api', Name: 'fuzz api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] }));
  await client.send(
    new sdk.CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'FuzzOIDC',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'fuzz-oidc',
        client_secret: 'fuzz-oidc-secret',
        authorize_scopes: 'openid email',
        oidc_issuer: NOWHERE,
        attributes_request_method: 'GET',
        authorize_url: `${NOWHERE}/authorize`,
        token_url: `${NOWHERE}/token`,
        attributes_url: `${NOWHERE}/userinfo`,
        jwks_uri: `${NOWHERE}/jwks`,
      },
      AttributeMapping: { email: 'email' },
      IdpIdentifiers: ['fuzz.example'],
    }),
  );
  await client.send(
    new sdk.CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'FuzzSAML',
      ProviderType: 'SAML',
      ProviderDetails: { MetadataFile: samlMetadata(server.clock.nowMs()), IDPInit: 'true' },
      AttributeMapping: { email: 'email' },
    }),
  );
  const providers = ['COGNITO', 'FuzzOIDC', 'FuzzSAML'];
  const web = await client.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code', 'implicit'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin', 'fuzz-api/read'],
      CallbackURLs: [CALLBACK],
      LogoutURLs: [LOGOUT],
      SupportedIdentityProviders: providers,
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const machine = await client.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'machine',
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['fuzz-api/read'],
    }),
  );
  const webClientId = web.UserPoolClient?.ClientId as string;
  const machineClientId = machine.UserPoolClient?.ClientId as string;
  const machineSecret = machine.UserPoolClient?.ClientSecret as string;
  await client.send(new sdk.AdminCreateUserCommand({ UserPoolId: poolId, Username: 'fuzzuser', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'fuzz@example.com' }, { Name: 'email_verified', Value: 'true' }] }));
  await client.send(new sdk.AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'fuzzuser', Password: 'Passw0rd!Passw0rd', Permanent: true }));
  const auth = await client.send(
    new sdk.AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: webClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'fuzzuser', PASSWORD: 'Passw0rd!Passw0rd' } }),
  );
  const tokenRes = await fetch(`${server.url}/${poolId}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${machineClientId}:${machineSecret}`).toString('base64')}` },
    body: 'grant_type=client_credentials&scope=fuzz-api%2Fread',
  });
  assert.equal(tokenRes.status, 200, await tokenRes.clone().text());
  const machineToken = ((await tokenRes.json()) as { access_token: string }).access_token;
  const job = await client.send(new sdk.CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'fuzz', CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/import' }));
  const presigned = new URL(job.UserImportJob?.PreSignedUrl as string);
  const login = await fetch(`${server.url}/${poolId}/login?client_id=${webClientId}&response_type=code&redirect_uri=${encodeURIComponent(CALLBACK)}`);
  const page = await login.text();
  assert.equal(login.status, 200, page.slice(0, 300));
  const csrfCookie = /userpoold_csrf=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  assert.ok(csrfCookie !== '' && csrfToken !== '', 'the login page set no CSRF cookie or token');
  const signedIn = await fetch(`${server.url}/${poolId}/login?client_id=${webClientId}&response_type=code&redirect_uri=${encodeURIComponent(CALLBACK)}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `userpoold_csrf=${csrfCookie}` },
    body: new URLSearchParams({ _csrf: csrfToken, username: 'fuzzuser', password: 'Passw0rd!Passw0rd' }).toString(),
  });
  assert.equal(signedIn.status, 302, await signedIn.text());
  const sessionCookie = /userpoold_session=([^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1] ?? '';
  assert.ok(sessionCookie !== '', 'signing in set no session cookie');
  const csvHeader = (await client.send(new sdk.GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader as string[];
  // Real federation states, so the provider responses get past the state check to the token
  // exchange and the assertion checks (which reach for NOWHERE and must fail cleanly).
  const federationCookies: string[] = [];
  const toProvider = async (provider: string, name: string) => {
    const res = await fetch(`${server.url}/${poolId}/oauth2/authorize?${new URLSearchParams({ client_id: webClientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', identity_provider: provider })}`, { redirect: 'manual' });
    const location = res.headers.get('location') ?? '';
    assert.ok(location.startsWith(NOWHERE), `authorize with ${provider} went to ${res.status} ${location}`);
    const value = new URL(location).searchParams.get(name);
    assert.ok(value, `no ${name} in ${location}`);
    // The cookie that binds the state to this browser.
    const cookie = /^([^=;]+=[^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    if (cookie !== undefined) federationCookies.push(cookie);
    return value;
  };
  const oidcState = await toProvider('FuzzOIDC', 'state');
  const samlRelayState = await toProvider('FuzzSAML', 'RelayState');
  return {
    poolId,
    bareId: bare.UserPool?.Id as string,
    domainHost: 'fuzz-tests.auth.us-east-1.amazoncognito.com',
    webClientId,
    machineClientId,
    machineSecret,
    accessToken: auth.AuthenticationResult?.AccessToken as string,
    refreshToken: auth.AuthenticationResult?.RefreshToken as string,
    machineToken,
    jobId: job.UserImportJob?.JobId as string,
    signature: presigned.searchParams.get('X-Amz-Signature') ?? '',
    uploadTarget: presigned.pathname + presigned.search,
    csrfCookie,
    csrfToken,
    sessionCookie,
    csvHeader,
    oidcState,
    samlRelayState,
    federationCookie: federationCookies.join('; '),
  };
}

/** IdP metadata whose single sign-on service is a local port nothing listens on. */
function samlMetadata(nowMs: number): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = selfSignedCertificate(privateKey, 'fuzz-saml-idp', Buffer.from('fuzz-saml-idp'), new Date(nowMs - 86_400_000)).toString('base64');
  return (
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${NOWHERE}/metadata">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${NOWHERE}/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}
