import {
  CreateManagedLoginBrandingCommand,
  CreateTermsCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteTermsCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  DescribeTermsCommand,
  GetUICustomizationCommand,
  ListTermsCommand,
  SetUICustomizationCommand,
  UpdateManagedLoginBrandingCommand,
  UpdateTermsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPoolWithClient } from './support/fixtures.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const CALLBACK = 'https://app.example/callback';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a20000000049454e44ae426082', 'hex');

for (const dialect of E2E_DIALECTS) describe(`managed login configuration: UI customization, branding styles, terms (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  let otherClientId: string;

  before(async () => {
    server = await startServer({ dialect });
    ({ poolId, clientId } = await createPoolWithClient(server.client, { PoolName: 'branded' }));
    const other = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    otherClientId = other.UserPoolClient?.ClientId as string;
    await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'branded-tests' }));
  });
  after(() => server.close());

  describe('SetUICustomization / GetUICustomization', () => {
    it('returns only the ids before anything is set', async () => {
      const got = await server.client.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.deepEqual(got.UICustomization, { UserPoolId: poolId, ClientId: clientId });
    });

    it('keeps the pool default (ALL) and a client override, and the client falls back to the pool', async () => {
      const set = await server.client.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: '.banner-customizable { background-color: #123456; }', ImageFile: PNG }));
      assert.equal(set.UICustomization?.ClientId, 'ALL');
      assert.equal(set.UICustomization?.CSS, '.banner-customizable { background-color: #123456; }');
      assert.ok(set.UICustomization?.CSSVersion);
      assert.ok(set.UICustomization?.CreationDate instanceof Date);

      const fallback = await server.client.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal(fallback.UICustomization?.ClientId, 'ALL');
      assert.equal(fallback.UICustomization?.CSS, '.banner-customizable { background-color: #123456; }');

      await server.client.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: '.submitButton-customizable:hover, .label-customizable { color: red; }' }));
      const own = await server.client.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal(own.UICustomization?.ClientId, clientId);
      assert.equal(own.UICustomization?.CSS, '.submitButton-customizable:hover, .label-customizable { color: red; }');
      const pool = await server.client.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'ALL' }));
      assert.equal(pool.UICustomization?.CSS, '.banner-customizable { background-color: #123456; }');
    });

    it('refuses classes the hosted UI does not offer, oversized CSS, and logos that are not small PNG/JPEG', async () => {
      await expectAwsError(() => server.client.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: 'body { color: red; }' })), 'InvalidParameterException', 'body is not a valid class.');
      await expectAwsError(
        () => server.client.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: `.banner-customizable { content: "${'a'.repeat(131_100)}"; }` })),
        'InvalidParameterException',
        /at 'cSS' failed to satisfy constraint: Member must have length less than or equal to 131072/,
      );
      await expectAwsError(() => server.client.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: Buffer.from('GIF89a') })), 'InvalidParameterException', 'The image file must be a PNG or JPEG image.');
      const big = Buffer.concat([PNG, Buffer.alloc(100 * 1024)]);
      await expectAwsError(() => server.client.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: big })), 'InvalidParameterException', 'The image file must be at most 100 KB.');
    });

    it('answers ResourceNotFoundException for an unknown pool or client', async () => {
      await expectAwsError(() => server.client.send(new GetUICustomizationCommand({ UserPoolId: 'us-east-1_nope' })), 'ResourceNotFoundException', 'User pool us-east-1_nope does not exist.');
      await expectAwsError(() => server.client.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'nope', CSS: '' })), 'ResourceNotFoundException', 'User pool client nope does not exist.');
    });

    it('applies the CSS to the managed login pages, unable to close their <style>', async () => {
      await server.client.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: otherClientId, CSS: '.logo-customizable { content: "</style><script>x</script>"; }' }));
      const query = new URLSearchParams({ response_type: 'code', client_id: otherClientId, redirect_uri: CALLBACK, scope: 'openid' });
      const res = await fetch(`${server.url}/${poolId}/login?${query}`);
      const html = await res.text();
      assert.equal(res.status, 200, html);
      assert.match(html, /<style>\.logo-customizable \{ content: "\\3c \/style>\\3c script>x\\3c \/script>"; \}<\/style>/);
      assert.doesNotMatch(html, /<script/);
      assert.match(html, /class="submitButton-customizable"/);
    });
  });

  describe('managed login branding', () => {
    let brandingId: string;

    it('creates one style per client, describes it by id and by client, updates and deletes it', async () => {
      const created = await server.client.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          Settings: { components: { primaryButton: { lightMode: { defaults: { backgroundColor: '0972d3ff' } } } } },
          Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: PNG }],
        }),
      );
      const branding = created.ManagedLoginBranding;
      brandingId = branding?.ManagedLoginBrandingId as string;
      assert.match(brandingId, /^[0-9a-f-]{36}$/);
      assert.equal(branding?.UserPoolId, poolId);
      assert.equal(branding?.UseCognitoProvidedValues, false);
      assert.deepEqual(branding?.Settings, { components: { primaryButton: { lightMode: { defaults: { backgroundColor: '0972d3ff' } } } } });
      assert.equal(branding?.Assets?.length, 1);
      assert.deepEqual(Buffer.from(branding?.Assets?.[0]?.Bytes as Uint8Array), PNG);

      await expectAwsError(
        () => server.client.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true })),
        'ManagedLoginBrandingExistsException',
        'Managed login branding already exists for this app client.',
      );

      const byId = await server.client.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId }));
      assert.deepEqual(byId.ManagedLoginBranding, branding);
      const byClient = await server.client.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.deepEqual(byClient.ManagedLoginBranding, branding);

      const updated = await server.client.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId, UseCognitoProvidedValues: true }));
      assert.equal(updated.ManagedLoginBranding?.UseCognitoProvidedValues, true);
      assert.equal(updated.ManagedLoginBranding?.Settings, undefined);
      assert.deepEqual(updated.ManagedLoginBranding?.Assets, []);

      await server.client.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId }));
      await expectAwsError(() => server.client.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId })), 'ResourceNotFoundException', 'Managed login branding does not exist.');
      await expectAwsError(() => server.client.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId })), 'ResourceNotFoundException', 'Managed login branding does not exist.');
      await expectAwsError(() => server.client.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId })), 'ResourceNotFoundException', 'Managed login branding does not exist.');
      await expectAwsError(() => server.client.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: brandingId })), 'ResourceNotFoundException', 'Managed login branding does not exist.');
    });

    it('refuses Settings or Assets with UseCognitoProvidedValues, and an unknown client', async () => {
      await expectAwsError(
        () => server.client.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: otherClientId, UseCognitoProvidedValues: true, Settings: {} })),
        'InvalidParameterException',
        'Settings and Assets cannot be given when UseCognitoProvidedValues is true.',
      );
      await expectAwsError(() => server.client.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: 'nope' })), 'ResourceNotFoundException', 'User pool client nope does not exist.');
    });
  });

  describe('terms', () => {
    it('creates terms-of-use and privacy-policy per client, lists, describes, updates and deletes them', async () => {
      const links = { 'cognito:default': 'https://app.example/terms', 'cognito:fr': 'https://app.example/fr/terms' };
      await expectAwsError(
        () => server.client.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE', Links: links })),
        'InvalidParameterException',
        /at 'links' failed to satisfy constraint: Map keys must satisfy constraint/,
      );
      const created = await server.client.send(
        new CreateTermsCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://app.example/terms', 'cognito:french': 'https://app.example/fr/terms' } }),
      );
      const terms = created.Terms;
      assert.equal(terms?.ClientId, clientId);
      assert.equal(terms?.TermsName, 'terms-of-use');
      assert.equal(terms?.TermsSource, 'LINK');
      assert.equal(terms?.Enforcement, 'NONE');
      assert.deepEqual(terms?.Links, { 'cognito:default': 'https://app.example/terms', 'cognito:french': 'https://app.example/fr/terms' });
      const termsId = terms?.TermsId as string;

      await expectAwsError(
        () => server.client.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://x.example' } })),
        'TermsExistsException',
        'Terms with this name already exist for this app client.',
      );
      await expectAwsError(
        () => server.client.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: 'cookies', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://x.example' } })),
        'InvalidParameterException',
        /at 'termsName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      );
      await expectAwsError(
        () => server.client.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: 'privacy-policy', TermsSource: 'LINK', Enforcement: 'NONE', Links: {} })),
        'InvalidParameterException',
        /at 'links' failed to satisfy constraint: Member must have length greater than or equal to 1/,
      );
      const privacy = await server.client.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: 'privacy-policy', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://app.example/privacy' } }));

      assert.deepEqual(await server.client.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: termsId })).then((r) => r.Terms), terms);

      const first = await server.client.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 1 }));
      assert.equal(first.Terms?.length, 1);
      assert.ok(first.NextToken);
      const second = await server.client.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 1, NextToken: first.NextToken }));
      assert.equal(second.NextToken, undefined);
      assert.deepEqual([...(first.Terms ?? []), ...(second.Terms ?? [])].map((t) => t.TermsId).sort(), [termsId, privacy.Terms?.TermsId].sort());
      await expectAwsError(() => server.client.send(new ListTermsCommand({ UserPoolId: poolId, NextToken: 'bogus' })), 'InvalidParameterException', 'Invalid pagination token.');

      await expectAwsError(() => server.client.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: termsId, TermsName: 'privacy-policy' })), 'TermsExistsException', 'Terms with this name already exist for this app client.');
      const updated = await server.client.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: termsId, Links: { 'cognito:default': 'https://app.example/v2/terms' } }));
      assert.deepEqual(updated.Terms?.Links, { 'cognito:default': 'https://app.example/v2/terms' });
      assert.equal(updated.Terms?.TermsName, 'terms-of-use');

      await server.client.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: termsId }));
      await expectAwsError(() => server.client.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: termsId })), 'ResourceNotFoundException', 'Terms do not exist.');
      await expectAwsError(() => server.client.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: termsId })), 'ResourceNotFoundException', 'Terms do not exist.');
      await expectAwsError(() => server.client.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: termsId })), 'ResourceNotFoundException', 'Terms do not exist.');
    });
  });
});
