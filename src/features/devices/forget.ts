import type { Deps } from '../../services/deps.js';
import { confirmedDevice } from './device-owner.js';

/**
 * Deletes the user's device (ForgetDevice, AdminForgetDevice). After that the user can no
 * longer complete device authentication with it and must pass MFA again [MODEL
 * AdminForgetDevice]; its refresh tokens refuse to refresh, as they would without the key.
 */
export async function forgetDeviceOf(deps: Pick<Deps, 'store'>, poolId: string, userSub: string, deviceKey: string): Promise<void> {
  await confirmedDevice(deps, poolId, userSub, deviceKey);
  await deps.store.deleteDevice(poolId, userSub, deviceKey);
}
