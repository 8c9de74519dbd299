import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { confirmationNecessary, parseVerifierConfig } from '../../domain/devices/device.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { ServiceError, invalidParameter } from '../../kernel/errors.js';
import { deviceNotFound, sealDeviceVerifier } from '../../services/devices/sign-in-device.js';

/**
 * The device a sign-in announced in NewDeviceMetadata becomes the user's, with the SRP verifier
 * and salt its client derived (DeviceSecretVerifierConfig), sealed at rest. Remembered at once,
 * or, where the pool asks users first (DeviceOnlyRememberedOnUserPrompt), left not remembered
 * with UserConfirmationNecessary true (cognito-facts-areas.md 3.5). A device confirmed before
 * is DeviceKeyExistsException [MODEL].
 */
export const confirmDevice: Operation<'ConfirmDevice', AccessTokenDeps | 'secrets'> = (deps) => async (input, ctx) => {
  const { pool, user } = await authenticateAccessToken(deps, input.AccessToken);
  const verifier = parseVerifierConfig(input.DeviceSecretVerifierConfig);
  // AWS's text for a missing or malformed verifier is not documented (unverified wording).
  if (!verifier) throw invalidParameter('DeviceSecretVerifierConfig must have a PasswordVerifier and a Salt, both base64.');
  const device = await deps.store.getDevice(pool.id, user.sub, input.DeviceKey);
  if (!device) throw deviceNotFound();
  // AWS's text is not documented (unverified wording).
  if (device.verifierSealed !== null) throw new ServiceError('DeviceKeyExistsException', 'Device already exists.');
  const necessary = confirmationNecessary(settingsOf(pool));
  await deps.store.updateDevice({
    ...device,
    verifierSealed: sealDeviceVerifier(deps.secrets, verifier),
    name: input.DeviceName ?? null,
    status: necessary ? 'not_remembered' : 'remembered',
    lastIp: ctx.sourceIp,
    lastModifiedAt: deps.clock.nowMs(),
  });
  return { UserConfirmationNecessary: necessary };
};
