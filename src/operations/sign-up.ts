import type { Operation } from './deps.js';
import { loadPublicClient } from './recovery-client.js';
import { aliasConflict } from './user-writes.js';
import { sendVerificationCode } from './verification-delivery.js';
import { clientSettingsOf } from '../domain/app-client.js';
import { assertRequiredAttributes, checkAttributeWrites, initialAttributes } from '../domain/attributes.js';
import { newUsername } from '../domain/new-user.js';
import { assertPasswordMeetsPolicy } from '../domain/password-policy.js';
import { activeAliases, lookupKey } from '../domain/username.js';
import { assertClientMayWrite, signUpChannel } from '../domain/verification.js';
import { MESSAGES, invalidParameter, usernameExists } from '../errors.js';
import { UniqueViolation, type UserRecord } from '../storage/store.js';

/**
 * A user registers through an app client. The account starts UNCONFIRMED; when the pool
 * auto-verifies the user's phone or email, a confirmation code goes there (ConfirmSignUp),
 * otherwise only an administrator can confirm it (AdminConfirmSignUp). ValidationData is for
 * Lambda triggers, which userpoold does not run, so it is ignored.
 */
export const signUp: Operation<'SignUp'> = (deps) => async (input) => {
  const { client, pool, settings } = await loadPublicClient(deps, deps.store, input.ClientId, input.Username, input.SecretHash);
  // Passwordless sign-up (choice-based sign-in) is not supported: a password is required.
  if (input.Password === undefined) throw invalidParameter('Password is required for sign-up in this user pool.');

  const sub = deps.random.uuid();
  const { username, attribute } = newUsername(settings, input.Username, sub);
  const writes = input.UserAttributes ?? [];
  checkAttributeWrites(settings, writes, 'create');
  assertClientMayWrite(clientSettingsOf(client), settings, writes.map((w) => w.Name));
  const attributes = { sub, ...initialAttributes(settings, writes), ...(attribute && { [attribute.name]: attribute.value }) };
  assertRequiredAttributes(settings, attributes);
  assertPasswordMeetsPolicy(settings, input.Password);

  const passwordHash = await deps.hasher.hash(input.Password);

  return deps.store.transaction(async (tx) => {
    const now = deps.clock.nowMs();
    const user: UserRecord = {
      poolId: pool.id,
      sub,
      username,
      usernameKey: lookupKey(settings, username),
      status: 'UNCONFIRMED',
      enabled: true,
      passwordHash,
      passwordUpdatedAt: now,
      attributes,
      aliases: activeAliases(settings, attributes),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await tx.insertUser(user);
    } catch (err) {
      if (!(err instanceof UniqueViolation) || err.constraint === 'other') throw err;
      // Only sign-in names are unique for a new user: the username, or the email or phone
      // standing for it; verified aliases are claimed at confirmation.
      if (err.constraint === 'username') throw usernameExists(MESSAGES.usernameExists);
      throw aliasConflict(settings, err.constraint, 'create');
    }
    const channel = signUpChannel(settings, attributes);
    const details =
      channel &&
      (await sendVerificationCode(deps, tx, {
        user,
        purpose: 'confirm_sign_up',
        channel,
        trigger: 'SignUp',
        clientMetadata: input.ClientMetadata,
        clientId: client.id,
      }));
    return { UserConfirmed: false, UserSub: sub, ...(details && { CodeDeliveryDetails: details }) };
  });
};
