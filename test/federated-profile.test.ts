import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FederationRefusal, identitiesClaim, mappedAttributes, withIdentity } from '../src/domain/idp/federated-profile.js';
import type { PoolSettings } from '../src/domain/pools/user-pool.js';
import { STANDARD_ATTRIBUTES } from '../src/domain/users/standard-attributes.js';

/** The pure rules of a federated sign-in (cognito-facts-areas.md §4.8); the browser test covers the flow. */
const settings = (required: string[] = []): PoolSettings =>
  ({
    SchemaAttributes: [
      ...STANDARD_ATTRIBUTES.map((a) => ({ ...a, Required: required.includes(a.Name as string) })),
      { Name: 'custom:teams', AttributeDataType: 'String', Mutable: true, Required: false, DeveloperOnlyAttribute: false },
    ],
  }) as unknown as PoolSettings;

describe('federated attribute mapping', () => {
  it('maps claims to attributes; a mapped email without email_verified is unverified', () => {
    const out = mappedAttributes(settings(), { email: 'mail', name: 'displayName' }, { mail: 'a@x.example', displayName: 'A' }, {});
    assert.deepEqual(out, { email: 'a@x.example', name: 'A', email_verified: 'false' });
  });

  it('a mapped email_verified is true only when the claim says so', () => {
    assert.equal(mappedAttributes(settings(), { email: 'e', email_verified: 'v' }, { e: 'a@x.example', v: true }, {}).email_verified, 'true');
    assert.equal(mappedAttributes(settings(), { email: 'e', email_verified: 'v' }, { e: 'a@x.example', v: 'TRUE' }, {}).email_verified, 'true');
    assert.equal(mappedAttributes(settings(), { email: 'e', email_verified: 'v' }, { e: 'a@x.example', v: 'no' }, {}).email_verified, 'false');
  });

  it('rewrites values at each sign-in and keeps the old value of a claim that is gone', () => {
    const current = { name: 'Old', given_name: 'Kept' };
    assert.deepEqual(mappedAttributes(settings(), { name: 'n', given_name: 'g' }, { n: 'New' }, current), { name: 'New', given_name: 'Kept' });
  });

  it('skips attributes the pool does not have and the ones Cognito writes', () => {
    const out = mappedAttributes(settings(), { 'custom:nope': 'x', sub: 'x', identities: 'x', 'custom:teams': 'teams' }, { x: 'v', teams: ['red', 'blue'] }, {});
    assert.deepEqual(out, { 'custom:teams': '[red, blue]' });
  });

  it('refuses a value over 2048 characters, and a required attribute the provider does not send, with AWS\'s text', () => {
    assert.throws(() => mappedAttributes(settings(), { name: 'n' }, { n: 'x'.repeat(2049) }, {}), FederationRefusal);
    assert.doesNotThrow(() => mappedAttributes(settings(), { name: 'n' }, { n: 'x'.repeat(2048) }, {}));
    assert.throws(
      () => mappedAttributes(settings(['email', 'name']), { name: 'n' }, { n: 'A' }, {}),
      (err: unknown) => err instanceof FederationRefusal && err.error === 'invalid_request' && err.description === 'attributes required: [email]',
    );
  });
});

describe('the identities attribute', () => {
  it('records an identity once, the first as primary, and shows strings in the ID token claim', () => {
    const one = withIdentity(undefined, { userId: 'u1', providerName: 'Corp', providerType: 'OIDC', issuer: 'https://idp.example' }, 1_700_000_000_000);
    const same = withIdentity(one, { userId: 'u1', providerName: 'Corp', providerType: 'OIDC', issuer: 'https://idp.example' }, 1_800_000_000_000);
    assert.equal(same, one);
    const two = withIdentity(one, { userId: 'g1', providerName: 'Google', providerType: 'Google', issuer: null }, 1_800_000_000_000);
    assert.deepEqual(JSON.parse(two), [
      { userId: 'u1', providerName: 'Corp', providerType: 'OIDC', issuer: 'https://idp.example', primary: true, dateCreated: 1_700_000_000_000 },
      { userId: 'g1', providerName: 'Google', providerType: 'Google', issuer: null, primary: false, dateCreated: 1_800_000_000_000 },
    ]);
    assert.deepEqual(identitiesClaim(two)[1], { userId: 'g1', providerName: 'Google', providerType: 'Google', issuer: null, primary: 'false', dateCreated: '1800000000000' });
  });
});
