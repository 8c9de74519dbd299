import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/app/create-app.js';
import { ConfigError, defaultConfig } from '../src/kernel/config.js';
import { isLoopback } from '../src/http/pipeline/authenticate.js';
import { silentLogger } from '../src/kernel/logger.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const ADMIN = { accessKeyId: 'AKIAADMIN0000000TEST', secretAccessKey: 'admin/secret+Key0123456789abcdefghijklmno' };
const TEMP = { accessKeyId: 'ASIATEMP00000000TEST', secretAccessKey: 'temp/secret+Key0123456789abcdefghijklmnop', sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDK+token/with=chars' };
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function credentialsFile(text: string, ext = 'yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'userpoold-creds-'));
  folders.push(dir);
  const path = join(dir, `credentials.${ext}`);
  writeFileSync(path, text);
  return path;
}

const YAML = `
principals:
  - name: admin
    accessKeyId: ${ADMIN.accessKeyId}
    secretAccessKey: ${ADMIN.secretAccessKey}
    policy:
      Statement:
        - Effect: Allow
          Action: "cognito-idp:*"
          Resource: "*"
  - name: temporary
    arn: arn:aws:sts::000000000000:assumed-role/ci/session
    accessKeyId: ${TEMP.accessKeyId}
    secretAccessKey: ${TEMP.secretAccessKey}
    sessionToken: "${TEMP.sessionToken}"
    policy: { Statement: { Effect: Allow, Action: "cognito-idp:*", Resource: "*" } }
`;

function client(url: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region = 'us-east-1'): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint: url, region, credentials, maxAttempts: 1 });
}

/** The ISO 8601 basic form AWS prints in its signature-expiry messages. */
const basic = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

interface RawSigned {
  target: string;
  body: unknown;
  key?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  service?: string;
  date?: Date;
  extraHeaders?: Record<string, string>;
  /** Changes what is sent after signing: headers (lower-case names) and body. */
  tamper?: (sent: { headers: Record<string, string>; body: string }) => void;
  /** Presigned; hoistTarget: as the SDK presigner does by default, x-amz-target moves into the query. */
  presign?: { expiresIn: number; hoistTarget?: boolean };
  /** Headers sent but left out of the signature (lower-case names). */
  unsigned?: string[];
  /** The name the target header is given before signing (x-amz-target). */
  targetHeader?: string;
}

/** A request signed by @smithy/signature-v4 (the SDKs' signer), sent with fetch. */
async function signedRaw(server: TestServer, r: RawSigned): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(server.url);
  const body = JSON.stringify(r.body);
  const signer = new SignatureV4({
    service: r.service ?? 'cognito-idp',
    region: r.region ?? 'us-east-1',
    credentials: r.key ?? ADMIN,
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = {
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      [r.targetHeader ?? 'x-amz-target']: `AWSCognitoIdentityProviderService.${r.target}`,
      ...r.extraHeaders,
    } as Record<string, string>,
    body,
  };
  const signingDate = r.date ?? new Date(server.clock.nowMs());
  const unsignableHeaders = new Set(r.unsigned ?? []);
  const signed = r.presign
    ? await signer.presign(request, {
        signingDate,
        expiresIn: r.presign.expiresIn,
        unsignableHeaders,
        ...(r.presign.hoistTarget ? {} : { unhoistableHeaders: new Set(['x-amz-target']) }),
      })
    : await signer.sign(request, { signingDate, unsignableHeaders });
  const sent = { headers: { ...(signed.headers as Record<string, string>) }, body };
  r.tamper?.(sent);
  delete sent.headers.host;
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  const res = await fetch(`${server.url}/${query ? `?${query}` : ''}`, { method: 'POST', headers: sent.headers, body: sent.body });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

function assertAwsError(res: { status: number; body: Record<string, unknown> }, name: string, message: string): void {
  assert.deepEqual({ status: res.status, body: res.body }, { status: 400, body: { __type: name, message } });
}

describe('SigV4 with developer credentials', () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startServer({ config: { credentialsFile: credentialsFile(YAML) } });
    // The SDK signs with the real time; the server's clock must agree within the allowed skew.
    server.clock.set(Math.floor(Date.now() / 1000) * 1000);
    admin = client(server.url, ADMIN);
    const pool = await admin.send(new CreateUserPoolCommand({ PoolName: 'signed' }));
    poolId = pool.UserPool?.Id as string;
    const appClient = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    clientId = appClient.UserPoolClient?.ClientId as string;
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS' }));
  });
  after(async () => {
    admin.destroy();
    await server.close();
  });

  it('accepts the SDK signing with a known key', async () => {
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
    assert.equal(user.Username, 'alice');
  });

  it('refuses the SDK signing with a wrong secret', async () => {
    const wrong = client(server.url, { ...ADMIN, secretAccessKey: 'not-the-secret' });
    await expectAwsError(() => wrong.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' })), 'InvalidSignatureException', MISMATCH);
    wrong.destroy();
  });

  it('refuses an unknown access key', async () => {
    // server.client signs with AKIDEXAMPLE, which the credentials file does not hold.
    await expectAwsError(
      () => server.client.send(new ListUserPoolsCommand({ MaxResults: 1 })),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  it('refuses a signature scoped to another region', async () => {
    const elsewhere = client(server.url, ADMIN, 'eu-west-1');
    await expectAwsError(
      () => elsewhere.send(new ListUserPoolsCommand({ MaxResults: 1 })),
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    );
    elsewhere.destroy();
  });

  it('refuses a signature scoped to another service', async () => {
    const res = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, service: 'cognito-identity' });
    assertAwsError(res, 'InvalidSignatureException', "Credential should be scoped to correct service: 'cognito-idp'. ");
  });

  it('accepts a hand-built request signed by @smithy/signature-v4', async () => {
    const res = await signedRaw(server, { target: 'AdminGetUser', body: { UserPoolId: poolId, Username: 'alice' }, extraHeaders: { 'x-custom': 'a   b' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.Username, 'alice');
  });

  it('answers an unsigned call to a signed operation with MissingAuthenticationTokenException', async () => {
    const res = await server.raw('AdminGetUser', { UserPoolId: poolId, Username: 'alice' });
    assertAwsError(res, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    const bearer = await server.raw('ListUserPools', { MaxResults: 1 }, { Authorization: 'Bearer abc' });
    assertAwsError(bearer, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  it('refuses a body changed after signing', async () => {
    const res = await signedRaw(server, {
      target: 'AdminGetUser',
      body: { UserPoolId: poolId, Username: 'alice' },
      tamper: (sent) => (sent.body = JSON.stringify({ UserPoolId: poolId, Username: 'bob' })),
    });
    assertAwsError(res, 'InvalidSignatureException', MISMATCH);
  });

  it('refuses an x-amz-content-sha256 that is not the hash of the body', async () => {
    const res = await signedRaw(server, {
      target: 'ListUserPools',
      body: { MaxResults: 1 },
      extraHeaders: { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    });
    assertAwsError(res, 'InvalidSignatureException', MISMATCH);
  });

  it('refuses a signed header changed, dropped from or added to SignedHeaders', async () => {
    const changed = await signedRaw(server, {
      target: 'ListUserPools',
      body: { MaxResults: 1 },
      extraHeaders: { 'x-custom': 'one' },
      tamper: (sent) => (sent.headers['x-custom'] = 'two'),
    });
    assertAwsError(changed, 'InvalidSignatureException', MISMATCH);
    const edit = (from: string, to: string) => (sent: { headers: Record<string, string> }) => {
      sent.headers.authorization = (sent.headers.authorization as string).replace(from, to);
    };
    const dropped = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, tamper: edit('content-type;', '') });
    assertAwsError(dropped, 'InvalidSignatureException', MISMATCH);
    const extra = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, tamper: edit(';x-amz-target', ';x-amz-target;x-not-sent') });
    assertAwsError(extra, 'InvalidSignatureException', MISMATCH);
    const noHost = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, tamper: edit('host;', '') });
    assertAwsError(noHost, 'InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    const noDate = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, tamper: edit(';x-amz-date', '') });
    assertAwsError(noDate, 'InvalidSignatureException', "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('refuses a signature older or newer than the allowed skew', async () => {
    const now = server.clock.nowMs();
    const old = new Date(now - 6 * 60_000);
    const stale = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, date: old });
    assertAwsError(stale, 'InvalidSignatureException', `Signature expired: ${basic(old.getTime())} is now earlier than ${basic(now - 300_000)} (${basic(now)} - 5 min.)`);
    const ahead = new Date(now + 6 * 60_000);
    const early = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, date: ahead });
    assertAwsError(early, 'InvalidSignatureException', `Signature not yet current: ${basic(ahead.getTime())} is still later than ${basic(now + 300_000)} (${basic(now)} + 5 min.)`);
    const withinSkew = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, date: new Date(now - 4 * 60_000) });
    assert.equal(withinSkew.status, 200);
  });

  it('reports a malformed Authorization header as IncompleteSignatureException, without echoing the signature', async () => {
    const res = await server.raw('ListUserPools', { MaxResults: 1 }, { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIAADMIN0000000TEST/20261101/us-east-1/cognito-idp/aws4_request', 'X-Amz-Date': '20261101T120000Z' });
    assertAwsError(
      res,
      'IncompleteSignatureException',
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKIAADMIN0000000TEST/20261101/us-east-1/cognito-idp/aws4_request",
    );
    const noDate = await server.raw('ListUserPools', {}, { Authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=0123abcd' });
    assertAwsError(
      noDate,
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=<redacted>",
    );
    const shortCredential = await server.raw('ListUserPools', {}, { Authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=00', 'X-Amz-Date': '20261101T120000Z' });
    assertAwsError(
      shortCredential,
      'IncompleteSignatureException',
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c'",
    );
  });

  it('accepts the presigned query form and refuses it once expired', async () => {
    const ok = await signedRaw(server, { target: 'AdminGetUser', body: { UserPoolId: poolId, Username: 'alice' }, presign: { expiresIn: 60 } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const now = server.clock.nowMs();
    const signedAt = new Date(now - 120_000);
    const expired = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, presign: { expiresIn: 60 }, date: signedAt });
    assertAwsError(expired, 'InvalidSignatureException', `Signature expired: ${basic(signedAt.getTime())} is now earlier than ${basic(now - 60_000)} (${basic(now)} - 60 sec.)`);
    const wrongKey = await signedRaw(server, { target: 'ListUserPools', body: { MaxResults: 1 }, presign: { expiresIn: 60 }, key: { ...ADMIN, secretAccessKey: 'x' } });
    assertAwsError(wrongKey, 'InvalidSignatureException', MISMATCH);
  });

  describe('binding the operation to the signature', () => {
    const TARGET_NOT_SIGNED = "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.";
    const userGone = (username: string) => admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })).then(() => false, (err: Error) => err.name === 'UserNotFoundException');
    let victims = 0;
    const victim = async () => {
      const username = `victim${++victims}`;
      await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
      return username;
    };
    const deleteInstead = (sent: { headers: Record<string, string> }) => (sent.headers['x-amz-target'] = 'AWSCognitoIdentityProviderService.AdminDeleteUser');

    it('requires x-amz-target among the signed headers, so a signed call cannot be replayed as another operation', async () => {
      const username = await victim();
      const body = { UserPoolId: poolId, Username: username };
      const replayed = await signedRaw(server, { target: 'AdminGetUser', body, unsigned: ['x-amz-target'], tamper: deleteInstead });
      assertAwsError(replayed, 'InvalidSignatureException', TARGET_NOT_SIGNED);
      const asSigned = await signedRaw(server, { target: 'AdminGetUser', body, unsigned: ['x-amz-target'] });
      assertAwsError(asSigned, 'InvalidSignatureException', TARGET_NOT_SIGNED);
      const dropped = await signedRaw(server, {
        target: 'AdminGetUser',
        body,
        tamper: (sent) => (sent.headers.authorization = (sent.headers.authorization as string).replace(';x-amz-target', '')),
      });
      assertAwsError(dropped, 'InvalidSignatureException', TARGET_NOT_SIGNED);
      assert.equal(await userGone(username), false, 'the user was not deleted');
      // A signed target is bound: changing it breaks the signature.
      const changed = await signedRaw(server, { target: 'AdminGetUser', body, tamper: deleteInstead });
      assertAwsError(changed, 'InvalidSignatureException', MISMATCH);
      assert.equal(await userGone(username), false, 'the user was not deleted');
    });

    it('takes a presigned call\'s operation from its signed query, as the SDK presigner puts it there', async () => {
      for (const targetHeader of ['x-amz-target', 'X-Amz-Target']) {
        const res = await signedRaw(server, { target: 'AdminGetUser', body: { UserPoolId: poolId, Username: 'alice' }, presign: { expiresIn: 60, hoistTarget: true }, targetHeader });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.Username, 'alice');
      }
      const sameHeader = await signedRaw(server, {
        target: 'AdminGetUser',
        body: { UserPoolId: poolId, Username: 'alice' },
        presign: { expiresIn: 60, hoistTarget: true },
        tamper: (sent) => (sent.headers['x-amz-target'] = 'AWSCognitoIdentityProviderService.AdminGetUser'),
      });
      assert.equal(sameHeader.status, 200, JSON.stringify(sameHeader.body));
    });

    it('refuses a presigned call whose added header names another operation', async () => {
      const username = await victim();
      const body = { UserPoolId: poolId, Username: username };
      const res = await signedRaw(server, { target: 'AdminGetUser', body, presign: { expiresIn: 3600, hoistTarget: true }, tamper: deleteInstead });
      assertAwsError(res, 'InvalidSignatureException', MISMATCH);
      // Kept as a header instead, the target must be among X-Amz-SignedHeaders.
      const unsignedHeader = await signedRaw(server, { target: 'AdminGetUser', body, presign: { expiresIn: 3600 }, unsigned: ['x-amz-target'], tamper: deleteInstead });
      assertAwsError(unsignedHeader, 'InvalidSignatureException', TARGET_NOT_SIGNED);
      assert.equal(await userGone(username), false, 'the user was not deleted');
    });
  });

  it('refuses a request signed both ways', async () => {
    const res = await signedRaw(server, {
      target: 'ListUserPools',
      body: { MaxResults: 1 },
      presign: { expiresIn: 60 },
      tamper: (sent) => (sent.headers.authorization = 'AWS4-HMAC-SHA256 Credential=x'),
    });
    assertAwsError(res, 'InvalidSignatureException', "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  });

  it('requires the session token of temporary credentials', async () => {
    const temp = client(server.url, TEMP);
    const pools = await temp.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.ok(pools.UserPools?.some((p) => p.Id === poolId));
    temp.destroy();
    const withoutToken = client(server.url, { accessKeyId: TEMP.accessKeyId, secretAccessKey: TEMP.secretAccessKey });
    await expectAwsError(() => withoutToken.send(new ListUserPoolsCommand({ MaxResults: 1 })), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    withoutToken.destroy();
    const otherToken = client(server.url, { ...TEMP, sessionToken: 'another-token' });
    await expectAwsError(() => otherToken.send(new ListUserPoolsCommand({ MaxResults: 1 })), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    otherToken.destroy();
    const tokenOnLongTermKey = client(server.url, { ...ADMIN, sessionToken: TEMP.sessionToken });
    await expectAwsError(() => tokenOnLongTermKey.send(new ListUserPoolsCommand({ MaxResults: 1 })), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    tokenOnLongTermKey.destroy();
  });

  it('serves the public operations unsigned, and ignores a signature on them', async () => {
    const signUp = await server.raw('SignUp', { ClientId: clientId, Username: 'bob', Password: 'Passw0rd!x', UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }] });
    assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
    const badSignature = { Authorization: 'AWS4-HMAC-SHA256 Credential=nobody/20000101/xx-xxxx-1/other/aws4_request, SignedHeaders=host, Signature=00', 'X-Amz-Date': '20000101T000000Z' };
    const initiate = await server.raw('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Passw0rd!x' } }, badSignature);
    assert.equal(initiate.body.__type, 'UserNotConfirmedException', JSON.stringify(initiate.body));
    const forgot = await server.raw('ForgotPassword', { ClientId: clientId, Username: 'nobody' });
    assert.equal(forgot.body.__type, 'UserNotFoundException', JSON.stringify(forgot.body));
    const confirm = await server.raw('ConfirmForgotPassword', { ClientId: clientId, Username: 'bob', ConfirmationCode: '123456', Password: 'Passw0rd!y' });
    assert.notEqual(confirm.body.__type, 'MissingAuthenticationTokenException');
    assert.equal(confirm.status, 400);
    // The SDK sends these operations without signing, even with no credentials at all.
    const anonymous = new CognitoIdentityProviderClient({
      endpoint: server.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: () => Promise.reject(new Error('no credentials in this test')),
    });
    const viaSdk = await anonymous.send(new SignUpCommand({ ClientId: clientId, Username: 'carol', Password: 'Passw0rd!x' }));
    assert.equal(viaSdk.UserConfirmed, false);
    anonymous.destroy();
  });
});

describe('SigV4 without credentials (development mode)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('accepts any well-formed signature, and none at all', async () => {
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'open' }));
    assert.ok(created.UserPool?.Id);
    const stranger = client(server.url, { accessKeyId: 'ANYKEYATALL00000', secretAccessKey: 'anything' }, 'ap-south-1');
    const pools = await stranger.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.equal(pools.UserPools?.length, 1);
    stranger.destroy();
    const unsigned = await server.raw('ListUserPools', { MaxResults: 10 });
    assert.equal(unsigned.status, 200);
  });

  it('still refuses a malformed signature', async () => {
    const res = await server.raw('ListUserPools', { MaxResults: 1 }, { Authorization: 'AWS4-HMAC-SHA256 Credential=x', 'X-Amz-Date': '20261101T120000Z' });
    assert.equal(res.body.__type, 'IncompleteSignatureException');
  });
});

describe('listen address without credentials', () => {
  const base = () => ({ ...defaultConfig(), port: 0, dataDir: mkdtempSync(join(tmpdir(), 'userpoold-open-')), logLevel: 'silent' as const });

  it('refuses a non-loopback address', async () => {
    const config = { ...base(), host: '0.0.0.0' };
    folders.push(config.dataDir);
    await assert.rejects(() => createApp(config, { logger: silentLogger }), (err: unknown) => err instanceof ConfigError && /refusing to listen on 0\.0\.0\.0 without developer credentials/.test(err.message));
  });

  it('starts there with --insecure-open or with credentials', async () => {
    for (const extra of [{ insecureOpen: true }, { credentialsFile: credentialsFile(YAML) }]) {
      const config = { ...base(), host: '0.0.0.0', ...extra };
      folders.push(config.dataDir);
      const app = await createApp(config, { logger: silentLogger });
      await app.close();
    }
  });

  it('knows the loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) assert.ok(isLoopback(host), host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '128.0.0.1']) assert.ok(!isLoopback(host), host);
  });
});
