import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolDomainCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolDomainCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registrableUrl } from '../src/domain/oauth/client-oauth.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

describe('OAuth configuration: domains, resource servers, client OAuth settings', () => {
  let server: TestServer;
  const newPool = async () => (await server.client.send(new CreateUserPoolCommand({ PoolName: 'oauth' }))).UserPool?.Id as string;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  describe('user pool domains', () => {
    it('creates a prefix domain, describes it, updates its ManagedLoginVersion, deletes it', async () => {
      const poolId = await newPool();
      const created = await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'my-app-login' }));
      assert.equal(created.ManagedLoginVersion, 1);
      assert.equal(created.CloudFrontDomain, undefined);
      const described = (await server.client.send(new DescribeUserPoolDomainCommand({ Domain: 'my-app-login' }))).DomainDescription;
      assert.equal(described?.UserPoolId, poolId);
      assert.equal(described?.Domain, 'my-app-login');
      assert.equal(described?.Status, 'ACTIVE');
      assert.equal(described?.AWSAccountId, '000000000000');
      assert.equal(described?.CustomDomainConfig, undefined);
      const updated = await server.client.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'my-app-login', ManagedLoginVersion: 2 }));
      assert.equal(updated.ManagedLoginVersion, 2);
      assert.equal((await server.client.send(new DescribeUserPoolDomainCommand({ Domain: 'my-app-login' }))).DomainDescription?.ManagedLoginVersion, 2);
      await server.client.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'my-app-login' }));
      // An unknown domain is an empty description, not an error.
      assert.deepEqual((await server.client.send(new DescribeUserPoolDomainCommand({ Domain: 'my-app-login' }))).DomainDescription, {});
    });

    it('creates a custom domain with its certificate and a CloudFront alias target', async () => {
      const poolId = await newPool();
      const created = await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'auth.example.com', CustomDomainConfig: { CertificateArn: CERT } }));
      assert.match(created.CloudFrontDomain ?? '', /^d[0-9a-f]{14}\.cloudfront\.net$/);
      const described = (await server.client.send(new DescribeUserPoolDomainCommand({ Domain: 'auth.example.com' }))).DomainDescription;
      assert.deepEqual(described?.CustomDomainConfig, { CertificateArn: CERT });
      assert.equal(described?.CloudFrontDistribution, created.CloudFrontDomain);
      const other = `${CERT}2`;
      await server.client.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'auth.example.com', CustomDomainConfig: { CertificateArn: other } }));
      assert.deepEqual((await server.client.send(new DescribeUserPoolDomainCommand({ Domain: 'auth.example.com' }))).DomainDescription?.CustomDomainConfig, { CertificateArn: other });
    });

    it("refuses names AWS refuses, a taken name, and a second domain of a kind, in AWS's words", async () => {
      const poolId = await newPool();
      const send = (Domain: string, custom = false) =>
        server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain, ...(custom && { CustomDomainConfig: { CertificateArn: CERT } }) }));
      await expectAwsError(() => send('-bad'), 'InvalidParameterException', /failed to satisfy constraint: Member must satisfy regular expression pattern/);
      await expectAwsError(() => send('a.b'), 'InvalidParameterException', /The domain name contains an invalid character\. Domain names can only contain lower-case letters, numbers, and hyphens/);
      await expectAwsError(() => send('my-cognito-app'), 'InvalidParameterException', 'Domain names cannot contain the reserved word cognito.');
      await expectAwsError(() => send('example.com', true), 'InvalidParameterException', /fully qualified domain name/);
      await send('taken-name');
      await expectAwsError(() => send('second-name'), 'InvalidParameterException', 'User pool already has a domain configured.');
      const other = await newPool();
      await expectAwsError(
        () => server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: 'taken-name' })),
        'InvalidParameterException',
        'Domain already associated with another user pool.',
      );
      // One prefix and one custom domain may coexist.
      await send('login.example.org', true);
      await expectAwsError(
        () => server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: 'us-east-1_nope', Domain: 'free-name' })),
        'ResourceNotFoundException',
        'User pool us-east-1_nope does not exist.',
      );
      await expectAwsError(() => server.client.send(new DeleteUserPoolDomainCommand({ UserPoolId: other, Domain: 'taken-name' })), 'ResourceNotFoundException', 'No such domain or user pool exists.');
      await expectAwsError(
        () => server.client.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'taken-name', CustomDomainConfig: { CertificateArn: CERT } })),
        'InvalidParameterException',
        'CustomDomainConfig can only be set for a custom domain.',
      );
      await expectAwsError(() => server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: 'fine-name', ManagedLoginVersion: 3 })), 'InvalidParameterException', /ManagedLoginVersion must be 1/);
    });

    it("deleting the pool frees its domain's name", async () => {
      const poolId = await newPool();
      await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'short-lived' }));
      await server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual((await server.client.send(new DescribeUserPoolDomainCommand({ Domain: 'short-lived' }))).DomainDescription, {});
      await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: await newPool(), Domain: 'short-lived' }));
    });
  });

  describe('resource servers', () => {
    it('creates, describes, lists page by page, updates (replacing the scopes) and deletes', async () => {
      const poolId = await newPool();
      const scopes = [{ ScopeName: 'read', ScopeDescription: 'Read' }, { ScopeName: 'write', ScopeDescription: 'Write' }];
      const created = await server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: scopes }));
      assert.deepEqual(created.ResourceServer, { UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: scopes });
      for (const id of ['b-api', 'a-api']) await server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: id, Name: id }));
      const first = await server.client.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2 }));
      assert.deepEqual(first.ResourceServers?.map((s) => s.Identifier), ['a-api', 'b-api']);
      assert.ok(first.NextToken);
      const second = await server.client.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: first.NextToken }));
      assert.deepEqual(second.ResourceServers?.map((s) => s.Identifier), ['https://api.example.com']);
      assert.equal(second.NextToken, undefined);
      const updated = await server.client.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'a-api', Name: 'Renamed', Scopes: [{ ScopeName: 'x', ScopeDescription: 'X' }] }));
      assert.equal(updated.ResourceServer?.Name, 'Renamed');
      assert.deepEqual((await server.client.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'a-api' }))).ResourceServer?.Scopes, [{ ScopeName: 'x', ScopeDescription: 'X' }]);
      await server.client.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'a-api' }));
      await expectAwsError(() => server.client.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'a-api' })), 'ResourceNotFoundException', 'Resource server a-api does not exist.');
      await expectAwsError(() => server.client.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'a-api' })), 'ResourceNotFoundException', 'Resource server a-api does not exist.');
      await expectAwsError(() => server.client.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'a-api', Name: 'n' })), 'ResourceNotFoundException', 'Resource server a-api does not exist.');
    });

    it('refuses a duplicate identifier, duplicate scope names, bad scope names, and a 26th server', async () => {
      const poolId = await newPool();
      await server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API' }));
      await expectAwsError(
        () => server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API' })),
        'InvalidParameterException',
        `A resource server with identifier api already exists in user pool ${poolId}.`,
      );
      const dup = [{ ScopeName: 'r', ScopeDescription: 'a' }, { ScopeName: 'r', ScopeDescription: 'b' }];
      await expectAwsError(() => server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'x', Name: 'x', Scopes: dup })), 'InvalidParameterException', 'Scope r is listed more than once.');
      await expectAwsError(
        () => server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'x', Name: 'x', Scopes: [{ ScopeName: 'a/b', ScopeDescription: 'd' }] })),
        'InvalidParameterException',
        /Member must satisfy regular expression pattern/,
      );
      for (let i = 1; i < 25; i++) await server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: `api${i}`, Name: 'n' }));
      await expectAwsError(() => server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'one-more', Name: 'n' })), 'LimitExceededException', /at most 25 resource servers/);
    });
  });

  describe('app client OAuth settings', () => {
    it('registers loopback http, https and app-scheme URLs; refuses other http, fragments, relative and script URLs', () => {
      for (const ok of ['https://app.example/cb', 'http://localhost:3000/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/', 'myapp://callback']) assert.ok(registrableUrl(ok), ok);
      for (const bad of ['http://app.example/cb', 'https://app.example/cb#x', '/cb', 'javascript:alert(1)', 'data:text/html,x', 'http://localhost.evil.com/']) assert.ok(!registrableUrl(bad), bad);
    });

    it('accepts code with callback URLs and scopes, reserved and custom, and reports them back', async () => {
      const poolId = await newPool();
      await server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }] }));
      const settings = {
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code' as const],
        AllowedOAuthScopes: ['openid', 'email', 'api/read'],
        CallbackURLs: ['https://app.example/cb', 'http://localhost:3000/cb'],
        LogoutURLs: ['https://app.example/out'],
        DefaultRedirectURI: 'https://app.example/cb',
        SupportedIdentityProviders: ['COGNITO'],
      };
      const created = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ...settings }));
      const clientId = created.UserPoolClient?.ClientId as string;
      const described = (await server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient;
      for (const [key, value] of Object.entries(settings)) assert.deepEqual(described?.[key as keyof typeof described], value, key);
      await server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ...settings, AllowedOAuthScopes: ['openid'] }));
    });

    it("refuses what AWS refuses, with AWS's error names", async () => {
      const poolId = await newPool();
      const cases: [Partial<CreateUserPoolClientCommandInput>, string, string | RegExp][] = [
        [{ AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'] }, 'InvalidOAuthFlowException', 'CallbackUrls can not be empty when code flow or implicit flow is selected'],
        [{ AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['api/read'] }, 'InvalidOAuthFlowException', 'client_credentials flow can not be selected if client does not have a client secret.'],
        [{ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials', 'code'], CallbackURLs: ['https://a.example/'] }, 'InvalidOAuthFlowException', /client_credentials flow can not be selected along with code flow/],
        [{ AllowedOAuthScopes: ['openid', 'nope/read'] }, 'ScopeDoesNotExistException', 'Invalid scope requested: nope/read'],
        [{ AllowedOAuthScopes: ['Cognito'] }, 'ScopeDoesNotExistException', 'Invalid scope requested: Cognito'],
        [{ CallbackURLs: ['http://app.example/cb'] }, 'InvalidParameterException', /CallbackURLs http:\/\/app\.example\/cb is not valid/],
        [{ LogoutURLs: ['https://app.example/#x'] }, 'InvalidParameterException', /LogoutURLs https:\/\/app\.example\/#x is not valid/],
        [{ CallbackURLs: ['https://a.example/'], DefaultRedirectURI: 'https://b.example/' }, 'InvalidParameterException', 'DefaultRedirectURI must be one of the CallbackURLs.'],
      ];
      for (const [settings, name, message] of cases) {
        await expectAwsError(() => server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ...settings })), name, message);
      }
      // The update checks the same, with the client's own secret.
      const confidential = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', GenerateSecret: true }));
      await server.client.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'r' }] }));
      await server.client.send(
        new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: confidential.UserPoolClient?.ClientId as string, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['api/read'] }),
      );
      const publicClient = await server.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'p' }));
      await expectAwsError(
        () => server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: publicClient.UserPoolClient?.ClientId as string, AllowedOAuthFlows: ['client_credentials'] })),
        'InvalidOAuthFlowException',
        'client_credentials flow can not be selected if client does not have a client secret.',
      );
    });
  });
});
