import type { Deps } from '../../services/deps.js';
import type { DeviceRecord } from '../../domain/devices/device.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { ServiceError, MESSAGES, resourceNotFound } from '../../kernel/errors.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { deviceNotFound } from '../../services/devices/sign-in-device.js';

/**
 * Whose devices an Admin* device operation reads: the pool and user named. AdminGetDevice and
 * AdminListDevices declare no UserNotFoundException, so for them an unknown user is
 * ResourceNotFoundException with the same text (unverified: AWS's answer is not documented).
 */
export async function adminDeviceOwner(
  deps: Pick<Deps, 'store'>,
  poolId: string,
  username: string,
  unknownUser: 'UserNotFoundException' | 'ResourceNotFoundException',
): Promise<{ pool: PoolRecord; user: UserRecord }> {
  const { pool } = await loadPool(deps.store, poolId);
  try {
    return { pool, user: await loadUser(deps.store, pool, username) };
  } catch (err) {
    if (unknownUser === 'ResourceNotFoundException' && err instanceof ServiceError && err.name === 'UserNotFoundException') throw resourceNotFound(MESSAGES.userDoesNotExist);
    throw err;
  }
}

/**
 * The user's device by key, once ConfirmDevice has made it the user's: a device only announced
 * at sign-in, another user's, or a forgotten one is not found.
 */
export async function confirmedDevice(deps: Pick<Deps, 'store'>, poolId: string, userSub: string, deviceKey: string): Promise<DeviceRecord> {
  const device = await deps.store.getDevice(poolId, userSub, deviceKey);
  if (!device || device.verifierSealed === null) throw deviceNotFound();
  return device;
}

/**
 * Page size of the device listings when Limit is omitted or 0 (the model allows 0 to 60 and
 * documents no default; the largest page is used, as for the group listings; unverified).
 */
export const MAX_DEVICE_PAGE = 60;

export function devicePageLimit(limit: number | undefined): number {
  return limit === undefined || limit === 0 ? MAX_DEVICE_PAGE : limit;
}
