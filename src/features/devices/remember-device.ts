import type { Deps } from '../../services/deps.js';
import type { DeviceRecord } from '../../domain/devices/device.js';
import type { DeviceRememberedStatusType } from '../../model/generated/types.js';
import { deviceNotFound } from '../../services/devices/sign-in-device.js';

/**
 * UpdateDeviceStatus and AdminUpdateDeviceStatus: the new status (left as it is when the
 * request names none, the member being optional in the model).
 */
export async function rememberDevice(deps: Pick<Deps, 'store' | 'clock'>, device: DeviceRecord, status: DeviceRememberedStatusType | undefined): Promise<void> {
  if (status === undefined) return;
  if (!(await deps.store.updateDevice({ ...device, status, lastModifiedAt: deps.clock.nowMs() }))) throw deviceNotFound();
}
