import { AdminGetUserCommand, AdminSetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn,
  fetchAuthSession,
  fetchMFAPreference,
  fetchUserAttributes,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
  type SignInOutput,
} from 'aws-amplify/auth';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfirmedUser, createPoolWithClient, verifiedEmail } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';
import { codeIn, startSmsWebhook, type SmsWebhook } from './support/sms-webhook.js';
import { startSmtp, type TestSmtp } from './support/smtp.js';
import { authenticatorCode } from './support/totp.js';

const PASSWORD = 'Correct-Horse-1';
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };
/** VerifySoftwareToken's answer to a wrong code (cognito-facts-areas.md 3.2), as Amplify rethrows it. */
const totpMismatch = (err: Error) => err.name === 'EnableSoftwareTokenMFAException' && err.message === 'Code mismatch and fail enable Software Token MFA';
const DEVELOPER_EMAIL = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com' };

/**
 * Amplify Auth v6, unmodified, through the MFA steps of its sign-in and its MFA settings calls,
 * against userpoold (issue #17). Email codes come from a real SMTP server, SMS codes from the
 * webhook transport, authenticator codes from an independent RFC 6238 implementation.
 */
describe('Amplify Auth v6 MFA against userpoold', () => {
  let server: TestServer;
  let smtp: TestSmtp;
  let sms: SmsWebhook;
  before(async () => {
    smtp = await startSmtp();
    sms = await startSmsWebhook();
    server = await startServer({ config: { smtpUrl: smtp.url, smsTransport: 'webhook', smsWebhookUrl: sms.url } });
    // Amplify stamps TIMESTAMP and checks token times with the real clock.
    server.clock.set(Date.now());
  });
  after(async () => {
    await server.close();
    await smtp.close();
    await sms.close();
  });

  /** A pool with these MFA factors and an app client, Amplify configured for it. */
  async function mfaPool(name: string, mode: 'ON' | 'OPTIONAL', factors: { totp?: boolean; sms?: boolean; email?: boolean }) {
    const made = await createPoolWithClient(server.client, { PoolName: name, EmailConfiguration: DEVELOPER_EMAIL, SmsConfiguration: SMS_CONFIG }, { ClientName: 'amplify-app' });
    await server.client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: made.poolId,
        MfaConfiguration: mode,
        ...(factors.totp && { SoftwareTokenMfaConfiguration: { Enabled: true } }),
        ...(factors.sms && { SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your sign-in code: {####}', SmsConfiguration: SMS_CONFIG } }),
        ...(factors.email && { EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' } }),
      }),
    );
    Amplify.configure({ Auth: { Cognito: { userPoolId: made.poolId, userPoolClientId: made.clientId, userPoolEndpoint: server.url } } });
    return made;
  }

  /** The next authenticator code step, so that a code is not the one used just before. */
  function nextTotpCode(secret: string): string {
    server.clock.advance(30_000);
    return authenticatorCode(secret, server.clock.nowMs());
  }

  /** The six-digit code of the one mail that arrives for `to` after `seen` mails. */
  async function mailedCode(to: string, seen: number): Promise<string> {
    // Generous: the machine is shared and delivery runs on the worker's own schedule.
    await smtp.waitFor(() => smtp.messages.slice(seen).some((m) => m.envelope.to.includes(to)), 30_000);
    const mail = smtp.messages.slice(seen).find((m) => m.envelope.to.includes(to));
    assert.equal(mail?.subject, 'Sign-in code');
    const codes = (mail?.text ?? '').match(/\b\d{6}\b/gu) ?? [];
    assert.equal(codes.length, 1, `one code in ${JSON.stringify(mail?.text)}`);
    return codes[0] as string;
  }

  /** fetchMFAPreference without the members it leaves undefined. */
  async function mfaPreference(): Promise<Record<string, unknown>> {
    return Object.fromEntries(Object.entries(await fetchMFAPreference()).filter(([, v]) => v !== undefined));
  }

  async function signedInAs(username: string): Promise<void> {
    const session = await fetchAuthSession();
    assert.equal(session.tokens?.idToken?.payload['cognito:username'], username);
  }

  it('MFA ON with TOTP, a user without a factor: TOTP setup inside signIn, then the next signIn asks for a TOTP code', async () => {
    const { poolId } = await mfaPool('amplify-totp-on', 'ON', { totp: true });
    await createConfirmedUser(server.client, poolId, 'tess', { password: PASSWORD });

    const started = await signIn({ username: 'tess', password: PASSWORD });
    assert.equal(started.isSignedIn, false);
    assert.equal(started.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const details = (started.nextStep as Extract<SignInOutput['nextStep'], { signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP' }>).totpSetupDetails;
    const secret = details.sharedSecret;
    assert.match(secret, /^[A-Z2-7]+$/u);
    const uri = details.getSetupUri('userpoold-tests', 'tess');
    assert.equal(uri.searchParams.get('secret'), secret);

    // A wrong code is refused by VerifySoftwareToken and the setup can be tried again.
    const good = authenticatorCode(secret, server.clock.nowMs());
    const wrong = good === '000000' ? '111111' : '000000';
    await assert.rejects(confirmSignIn({ challengeResponse: wrong }), totpMismatch);
    assert.equal((await fetchAuthSession()).tokens, undefined);

    const done = await confirmSignIn({ challengeResponse: good });
    assert.equal(done.isSignedIn, true);
    assert.equal(done.nextStep.signInStep, 'DONE');
    await signedInAs('tess');
    assert.deepEqual(await mfaPreference(), { enabled: ['TOTP'], preferred: 'TOTP' });
    await signOut();

    const again = await signIn({ username: 'tess', password: PASSWORD });
    assert.equal(again.isSignedIn, false);
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    const code = nextTotpCode(secret);
    const wrongAgain = code === '000000' ? '111111' : '000000';
    await assert.rejects(confirmSignIn({ challengeResponse: wrongAgain }), (err: Error) => err.name === 'CodeMismatchException');
    const confirmed = await confirmSignIn({ challengeResponse: code });
    assert.equal(confirmed.isSignedIn, true);
    await signedInAs('tess');
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'tess' }));
    assert.deepEqual(user.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(user.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    await signOut();
  });

  it('MFA ON with TOTP and email, a user with neither an email nor an authenticator: the setup selection, then TOTP setup', async () => {
    const { poolId } = await mfaPool('amplify-setup-selection', 'ON', { totp: true, email: true });
    await createConfirmedUser(server.client, poolId, 'nina', { password: PASSWORD, attributes: [{ Name: 'name', Value: 'Nina' }] });

    const started = await signIn({ username: 'nina', password: PASSWORD });
    assert.equal(started.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    const allowed = (started.nextStep as Extract<SignInOutput['nextStep'], { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION' }>).allowedMFATypes;
    assert.deepEqual(allowed?.slice().sort(), ['EMAIL', 'TOTP']);

    const totp = await confirmSignIn({ challengeResponse: 'TOTP' });
    assert.equal(totp.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const secret = (totp.nextStep as Extract<SignInOutput['nextStep'], { signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP' }>).totpSetupDetails.sharedSecret;
    const done = await confirmSignIn({ challengeResponse: authenticatorCode(secret, server.clock.nowMs()) });
    assert.equal(done.isSignedIn, true);
    await signedInAs('nina');
    await signOut();

    const again = await signIn({ username: 'nina', password: PASSWORD });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    assert.equal((await confirmSignIn({ challengeResponse: nextTotpCode(secret) })).isSignedIn, true);
    await signOut();
  });

  it('MFA ON with email only, a user without an email: CONTINUE_SIGN_IN_WITH_EMAIL_SETUP, the address, then the code mailed there', async () => {
    const { poolId } = await mfaPool('amplify-email-setup', 'ON', { email: true });
    await createConfirmedUser(server.client, poolId, 'eve', { password: PASSWORD, attributes: [{ Name: 'name', Value: 'Eve' }] });

    const started = await signIn({ username: 'eve', password: PASSWORD });
    assert.equal(started.isSignedIn, false);
    assert.equal(started.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');

    const seen = smtp.messages.length;
    const emailed = await confirmSignIn({ challengeResponse: 'eve.mfa@example.org' });
    assert.equal(emailed.isSignedIn, false);
    assert.equal(emailed.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const delivery = (emailed.nextStep as Extract<SignInOutput['nextStep'], { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' }>).codeDeliveryDetails;
    assert.equal(delivery?.deliveryMedium, 'EMAIL');
    assert.equal(delivery?.destination, 'e***@e***');
    const code = await mailedCode('eve.mfa@example.org', seen);

    const wrong = code === '000000' ? '111111' : '000000';
    await assert.rejects(confirmSignIn({ challengeResponse: wrong }), (err: Error) => err.name === 'CodeMismatchException');
    const done = await confirmSignIn({ challengeResponse: code });
    assert.equal(done.isSignedIn, true);
    assert.equal(done.nextStep.signInStep, 'DONE');
    await signedInAs('eve');
    // As amplify-swift's EmailMFARequiredTests check against Cognito: the address is the user's email now.
    const attributes = await fetchUserAttributes();
    assert.equal(attributes.email, 'eve.mfa@example.org');
    assert.equal(attributes.email_verified, 'true');
    assert.deepEqual(await mfaPreference(), { enabled: ['EMAIL'], preferred: 'EMAIL' });
    await signOut();

    const again = await signIn({ username: 'eve', password: PASSWORD });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const before = smtp.messages.length;
    assert.equal((await confirmSignIn({ challengeResponse: await mailedCode('eve.mfa@example.org', before) })).isSignedIn, true);
    await signOut();
  });

  it('MFA ON with TOTP and email: the setup selection, EMAIL, the address, then the mailed code', async () => {
    const { poolId } = await mfaPool('amplify-setup-selection-email', 'ON', { totp: true, email: true });
    await createConfirmedUser(server.client, poolId, 'lena', { password: PASSWORD, attributes: [{ Name: 'name', Value: 'Lena' }] });

    const started = await signIn({ username: 'lena', password: PASSWORD });
    assert.equal(started.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    const chosen = await confirmSignIn({ challengeResponse: 'EMAIL' });
    assert.equal(chosen.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
    const seen = smtp.messages.length;
    const emailed = await confirmSignIn({ challengeResponse: 'lena@example.com' });
    assert.equal(emailed.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const done = await confirmSignIn({ challengeResponse: await mailedCode('lena@example.com', seen) });
    assert.equal(done.isSignedIn, true);
    await signedInAs('lena');
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'lena' }));
    assert.deepEqual(user.UserMFASettingList, ['EMAIL_OTP']);
    assert.equal(user.UserAttributes?.find((a) => a.Name === 'email')?.Value, 'lena@example.com');
    await signOut();
  });

  it('email MFA preferred: signIn asks for the email code, which arrives over SMTP; a wrong code is CodeMismatchException', async () => {
    const { poolId } = await mfaPool('amplify-email-mfa', 'OPTIONAL', { email: true });
    await createConfirmedUser(server.client, poolId, 'emma', { password: PASSWORD, attributes: verifiedEmail('emma') });
    await server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'emma', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));

    const seen = smtp.messages.length;
    const started = await signIn({ username: 'emma', password: PASSWORD });
    assert.equal(started.isSignedIn, false);
    assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const delivery = (started.nextStep as Extract<SignInOutput['nextStep'], { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' }>).codeDeliveryDetails;
    assert.equal(delivery?.deliveryMedium, 'EMAIL');
    assert.equal(delivery?.destination, 'e***@e***');
    const code = await mailedCode('emma@example.com', seen);

    const wrong = code === '000000' ? '111111' : '000000';
    await assert.rejects(
      confirmSignIn({ challengeResponse: wrong }),
      (err: Error) => err.name === 'CodeMismatchException' && err.message === 'Invalid code or auth state for the user.',
    );
    assert.equal((await fetchAuthSession()).tokens, undefined);

    const done = await confirmSignIn({ challengeResponse: code });
    assert.equal(done.isSignedIn, true);
    assert.equal(done.nextStep.signInStep, 'DONE');
    await signedInAs('emma');
    assert.deepEqual(await mfaPreference(), { enabled: ['EMAIL'], preferred: 'EMAIL' });
    await signOut();
  });

  it('SMS MFA preferred: signIn asks for the SMS code, which arrives through the webhook', async () => {
    const { poolId } = await mfaPool('amplify-sms-mfa', 'OPTIONAL', { sms: true });
    await createConfirmedUser(server.client, poolId, 'sid', {
      password: PASSWORD,
      attributes: [
        { Name: 'phone_number', Value: '+15555550199' },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    });
    await server.client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'sid', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));

    const seen = sms.calls.length;
    const started = await signIn({ username: 'sid', password: PASSWORD });
    assert.equal(started.isSignedIn, false);
    assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    const delivery = (started.nextStep as Extract<SignInOutput['nextStep'], { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' }>).codeDeliveryDetails;
    assert.equal(delivery?.deliveryMedium, 'SMS');
    assert.equal(delivery?.destination, '+*******0199');
    const call = await sms.nextCall(seen, 30_000);
    const body = call.body as { to?: string; text?: string };
    assert.equal(body.to, '+15555550199');
    const code = codeIn(body.text ?? '');

    const done = await confirmSignIn({ challengeResponse: code });
    assert.equal(done.isSignedIn, true);
    await signedInAs('sid');
    assert.deepEqual(await mfaPreference(), { enabled: ['SMS'], preferred: 'SMS' });
    await signOut();
  });

  it('a signed-in user: setUpTOTP, verifyTOTPSetup, updateMFAPreference and fetchMFAPreference, then sign-in asks for the chosen factor', async () => {
    const { poolId } = await mfaPool('amplify-mfa-settings', 'OPTIONAL', { totp: true, email: true });
    await createConfirmedUser(server.client, poolId, 'olga', { password: PASSWORD, attributes: verifiedEmail('olga') });

    const first = await signIn({ username: 'olga', password: PASSWORD });
    assert.equal(first.nextStep.signInStep, 'DONE', 'OPTIONAL MFA and no factor: no challenge');
    assert.deepEqual(await mfaPreference(), {});

    const setup = await setUpTOTP();
    const secret = setup.sharedSecret;
    assert.equal(setup.getSetupUri('userpoold-tests').searchParams.get('secret'), secret);
    const wrong = authenticatorCode(secret, server.clock.nowMs()) === '000000' ? '111111' : '000000';
    await assert.rejects(verifyTOTPSetup({ code: wrong }), totpMismatch);
    await verifyTOTPSetup({ code: authenticatorCode(secret, server.clock.nowMs()), options: { friendlyDeviceName: 'phone' } });
    await updateMFAPreference({ totp: 'PREFERRED', email: 'ENABLED' });
    assert.deepEqual(await mfaPreference(), { enabled: ['TOTP', 'EMAIL'], preferred: 'TOTP' });
    await signOut();

    const totp = await signIn({ username: 'olga', password: PASSWORD });
    assert.equal(totp.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    assert.equal((await confirmSignIn({ challengeResponse: nextTotpCode(secret) })).isSignedIn, true);

    await updateMFAPreference({ totp: 'NOT_PREFERRED', email: 'PREFERRED' });
    assert.deepEqual(await mfaPreference(), { enabled: ['TOTP', 'EMAIL'], preferred: 'EMAIL' });
    await signOut();

    const seen = smtp.messages.length;
    const email = await signIn({ username: 'olga', password: PASSWORD });
    assert.equal(email.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal((await confirmSignIn({ challengeResponse: await mailedCode('olga@example.com', seen) })).isSignedIn, true);

    // Both factors on and none preferred: Amplify's MFA selection.
    await updateMFAPreference({ email: 'NOT_PREFERRED' });
    assert.deepEqual(await mfaPreference(), { enabled: ['TOTP', 'EMAIL'] });
    await signOut();
    const select = await signIn({ username: 'olga', password: PASSWORD });
    assert.equal(select.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
    assert.deepEqual(
      (select.nextStep as Extract<SignInOutput['nextStep'], { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' }>).allowedMFATypes?.slice().sort(),
      ['EMAIL', 'TOTP'],
    );
    const chosen = await confirmSignIn({ challengeResponse: 'TOTP' });
    assert.equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    assert.equal((await confirmSignIn({ challengeResponse: nextTotpCode(secret) })).isSignedIn, true);

    await updateMFAPreference({ totp: 'DISABLED', email: 'DISABLED' });
    assert.deepEqual(await mfaPreference(), {});
    await signOut();
    assert.equal((await signIn({ username: 'olga', password: PASSWORD })).nextStep.signInStep, 'DONE');
    await signOut();
  });
});
