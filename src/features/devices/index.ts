import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { adminForgetDevice } from './admin-forget-device.js';
import { adminGetDevice } from './admin-get-device.js';
import { adminListDevices } from './admin-list-devices.js';
import { adminUpdateDeviceStatus } from './admin-update-device-status.js';
import { confirmDevice } from './confirm-device.js';
import { forgetDevice } from './forget-device.js';
import { getDevice } from './get-device.js';
import { listDevices } from './list-devices.js';
import { updateDeviceStatus } from './update-device-status.js';

/**
 * This area's operations: remembered devices (cognito-facts-areas.md 3.5). Announcing a device
 * at sign-in and the DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER challenges are the auth area's
 * (features/auth/finish-sign-in.ts, features/auth/challenges/device-srp.ts).
 */
export const devicesOperations = {
  ConfirmDevice: confirmDevice,
  UpdateDeviceStatus: updateDeviceStatus,
  GetDevice: getDevice,
  ListDevices: listDevices,
  ForgetDevice: forgetDevice,
  AdminGetDevice: adminGetDevice,
  AdminListDevices: adminListDevices,
  AdminForgetDevice: adminForgetDevice,
  AdminUpdateDeviceStatus: adminUpdateDeviceStatus,
} satisfies { [N in OperationName]?: Operation<N> };
