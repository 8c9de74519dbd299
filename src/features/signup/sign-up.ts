import type { Operation } from '../operation.js';
import { userAddressOf } from '../../domain/clients/context-data.js';
import { loadPublicClient } from '../../services/directory/public-client.js';
import { assertUsernameAvailable, claimAliases } from '../../services/directory/user-writes.js';
import { runTrigger } from '../../services/triggers/run-trigger.js';
import { applyPreSignUp, verifiedContactAliases } from './pre-sign-up.js';
import { runPostConfirmation } from '../../services/triggers/post-confirmation.js';
import { attributeMap, submittedAttributes } from '../../services/triggers/user-attributes.js';
import { prepareCodeMessage, sendVerificationCode } from './verification-delivery.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { assertRequiredAttributes, checkAttributeWrites, initialAttributes } from '../../domain/users/attributes.js';
import { newUserRecord, newUsername } from '../../domain/users/new-user.js';
import { assertPasswordMeetsPolicy } from '../../domain/pools/password-policy.js';
import { assertClientMayWrite, signUpChannel } from '../../domain/users/verification.js';
import { MESSAGES, invalidParameter, invalidPassword, usernameExists } from '../../kernel/errors.js';
import { derivePasswordSecrets } from '../../services/passwords/password-secrets.js';
import { allowsPasswordlessSignUp } from '../../domain/auth/first-factors.js';
import { UniqueViolation } from '../../ports/unique-violation.js';
import { passwordVerdict, recordAuthEvent, threatContext, THREAT_MESSAGES } from '../../services/threat/threat-context.js';

/**
 * A user registers through an app client. The account starts UNCONFIRMED; when the pool
 * auto-verifies the user's phone or email, a confirmation code goes there (ConfirmSignUp),
 * otherwise only an administrator can confirm it (AdminConfirmSignUp). A PreSignUp function
 * (PreSignUp_SignUp, with ValidationData and ClientMetadata) runs before anything is written: it
 * refuses by throwing, and may confirm the user and verify the email or phone at once, in which
 * case no code is sent and PostConfirmation_ConfirmSignUp runs after the user is stored
 * (cognito-facts-areas.md §2.2, §2.3).
 */
export const signUp: Operation<'SignUp'> = (deps) => async (input, ctx) => {
  const { client, pool, settings } = await loadPublicClient(deps, deps.store, input.ClientId, input.Username, input.SecretHash);
  // "To create a user with no password, omit this parameter or submit a blank value. You can
  // only create a passwordless user when passwordless sign-in is available" (MODEL
  // SignUpRequest.Password): the pool allows EMAIL_OTP or SMS_OTP as a first factor.
  const password = input.Password === undefined || input.Password === '' ? undefined : input.Password;
  if (password === undefined && !allowsPasswordlessSignUp(settings)) throw invalidParameter('Password is required for sign-up in this user pool.');

  const sub = deps.random.uuid();
  const { username, attribute } = newUsername(settings, input.Username, sub);
  const writes = input.UserAttributes ?? [];
  checkAttributeWrites(settings, writes, 'create');
  assertClientMayWrite(clientSettingsOf(client), settings, writes.map((w) => w.Name));
  const attributes = { sub, ...initialAttributes(settings, writes), ...(attribute && { [attribute.name]: attribute.value }) };
  assertRequiredAttributes(settings, attributes);
  if (password !== undefined) assertPasswordMeetsPolicy(settings, password);
  // Threat protection (AUDIT/ENFORCED): the compromised-credentials check of SIGN_UP, and the event.
  const threat = await threatContext(deps, pool.id, settings, client.id, { ipAddress: userAddressOf(ctx.sourceIp, clientSettingsOf(client), input.UserContextData) });
  const verdict = threat ? passwordVerdict(deps, threat, 'SIGN_UP', password) : undefined;
  if (verdict?.block) throw invalidPassword(THREAT_MESSAGES.compromisedPassword);

  const { passwordHash, srp } = password === undefined ? { passwordHash: null, srp: null } : await derivePasswordSecrets(deps, pool, username, password);
  const now = deps.clock.nowMs();
  const unconfirmed = newUserRecord(settings, { poolId: pool.id, sub, username, status: 'UNCONFIRMED', passwordHash, srp, attributes, nowMs: now });
  // Checked again in the transaction; here so a taken name does not run the triggers.
  const taken = () => usernameExists(MESSAGES.usernameExists);
  await assertUsernameAvailable(deps.store, settings, unconfirmed, taken);
  const decided = await runTrigger(deps, settings, {
    source: 'PreSignUp_SignUp',
    poolId: pool.id,
    userName: username,
    clientId: client.id,
    request: { userAttributes: submittedAttributes(attributes), validationData: attributeMap(input.ValidationData), clientMetadata: input.ClientMetadata },
  });
  const user = decided ? applyPreSignUp(settings, unconfirmed, decided) : unconfirmed;
  const confirmed = user.status === 'CONFIRMED';
  const channel = confirmed ? undefined : signUpChannel(settings, user.attributes);
  const prepared =
    channel && (await prepareCodeMessage(deps, pool, user, { channel, trigger: 'SignUp', clientId: client.id, clientMetadata: input.ClientMetadata }));

  const result = await deps.store.transaction(async (tx) => {
    await assertUsernameAvailable(tx, settings, user, taken);
    // A contact the function verified becomes a sign-in alias now; one another user holds moves here (§2.3).
    if (decided) await claimAliases(tx, settings, verifiedContactAliases(user, decided), true, 'create', now);
    try {
      await tx.insertUser(user);
    } catch (err) {
      if (!(err instanceof UniqueViolation) || err.constraint === 'other') throw err;
      // Only sign-in names are unique for a new user (verified aliases are claimed at
      // confirmation); SignUp reports every clash as UsernameExistsException, the only one it has.
      if (err.constraint === 'username') throw usernameExists(MESSAGES.usernameExists);
      throw usernameExists(`An account with the given ${err.constraint} already exists.`);
    }
    const details = channel && prepared && (await sendVerificationCode(deps, tx, settings, user, 'confirm_sign_up', channel, prepared));
    if (threat) {
      await recordAuthEvent(tx, deps, threat, { userSub: sub, eventType: 'SignUp', response: 'Pass', challenges: [], blocked: false, compromised: verdict?.detected === true });
    }
    return { UserConfirmed: confirmed, UserSub: sub, ...(details && { CodeDeliveryDetails: details }) };
  });
  if (result.CodeDeliveryDetails) deps.onMessageQueued();
  if (confirmed) await runPostConfirmation(deps, settings, user, 'PostConfirmation_ConfirmSignUp', client.id, input.ClientMetadata);
  return result;
};
