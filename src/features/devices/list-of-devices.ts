import type { Deps } from '../../services/deps.js';
import { deviceType } from '../../domain/devices/device.js';
import { decodePageToken, pageOf } from '../../domain/page-token.js';
import type { DeviceType } from '../../model/generated/types.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { devicePageLimit } from './device-owner.js';

/** One page of the user's confirmed devices by DeviceKey (ListDevices, AdminListDevices). */
export async function listDevicesOf(
  deps: Pick<Deps, 'store' | 'config'>,
  pool: PoolRecord,
  user: UserRecord,
  limitInput: number | undefined,
  token: string | undefined,
): Promise<{ Devices: DeviceType[]; PaginationToken?: string }> {
  const limit = devicePageLimit(limitInput);
  // Bound to the user, so a token of one user's listing cannot page another's.
  const scope = `devices:${pool.id}:${user.sub}`;
  const after = token === undefined ? undefined : decodePageToken(scope, token);
  const rows = await deps.store.listDevices(pool.id, user.sub, { limit: limit + 1, after });
  const page = pageOf(rows, limit, (d) => d.deviceKey, scope);
  const owner = { region: deps.config.region, accountId: deps.config.accountId, username: user.username };
  return { Devices: page.items.map((d) => deviceType(d, owner)), ...(page.nextToken && { PaginationToken: page.nextToken }) };
}
