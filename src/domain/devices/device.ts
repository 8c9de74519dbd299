import type { PoolSettings } from '../pools/user-pool.js';
import type { DeviceType } from '../../model/generated/types.js';

/**
 * Remembered devices (cognito-facts-areas.md 3.5). A sign-in to a pool that remembers devices
 * gets NewDeviceMetadata for a device it does not know; ConfirmDevice gives that device its own
 * SRP verifier; a remembered device then proves itself with DEVICE_SRP_AUTH instead of MFA.
 */

export type DeviceRememberedStatus = 'remembered' | 'not_remembered';

export interface DeviceRecord {
  poolId: string;
  userSub: string;
  /** `<region>_<uuid>` (3.5). */
  deviceKey: string;
  /** Mixed into the device's verifier where the pool name goes for a user's (3.5). */
  deviceGroupKey: string;
  /** The DeviceSecretVerifierConfig ({ saltHex, verifierHex }) sealed with the server key; null until ConfirmDevice. */
  verifierSealed: string | null;
  name: string | null;
  /** Null until ConfirmDevice. */
  status: DeviceRememberedStatus | null;
  lastIp: string | null;
  createdAt: number;
  lastModifiedAt: number;
  lastAuthenticatedAt: number;
}

/**
 * "When you provide a value for any property of DeviceConfiguration, you activate the device
 * remembering for the user pool" [MODEL DeviceConfigurationType; cognito-facts-areas.md 3.5].
 */
export function remembersDevices(settings: Pick<PoolSettings, 'DeviceConfiguration'>): boolean {
  const c = settings.DeviceConfiguration;
  return c?.ChallengeRequiredOnNewDevice !== undefined || c?.DeviceOnlyRememberedOnUserPrompt !== undefined;
}

/**
 * ChallengeRequiredOnNewDevice: "When true, a remembered device can sign in with device
 * authentication instead of SMS and TOTP factors for MFA"; devices not confirmed or not
 * remembered still give a second factor [MODEL DeviceConfigurationType].
 */
export function deviceCanReplaceMfa(settings: Pick<PoolSettings, 'DeviceConfiguration'>): boolean {
  return settings.DeviceConfiguration?.ChallengeRequiredOnNewDevice === true;
}

/**
 * With DeviceOnlyRememberedOnUserPrompt, ConfirmDevice leaves the device not remembered and
 * answers UserConfirmationNecessary: the app asks the user, then calls UpdateDeviceStatus
 * [MODEL DeviceConfigurationType]; otherwise the device is remembered at once.
 */
export function confirmationNecessary(settings: Pick<PoolSettings, 'DeviceConfiguration'>): boolean {
  return settings.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
}

/** `<region>_<uuid>`, as `us-west-2_a1b2c3d4-5678-90ab-cdef-EXAMPLE11111` (3.5). */
export function newDeviceKey(region: string, uuid: string): string {
  return `${region}_${uuid}`;
}

/**
 * AWS does not document the DeviceGroupKey's form (published examples are short random
 * strings starting with `-`); any text without `:` serves the derivation, so a dash and
 * random base64url (unverified form).
 */
export function newDeviceGroupKey(random: Buffer): string {
  return `-${random.toString('base64url')}`;
}

/** The device's verifier as ConfirmDevice stores it: both as hex, sealed by the caller. */
export interface DeviceVerifier {
  saltHex: string;
  verifierHex: string;
}

/**
 * DeviceSecretVerifierConfig as amazon-cognito-identity-js sends it: base64 of the padded hex
 * bytes of the salt and of the verifier (AuthenticationHelper.generateHashDevice). Undefined
 * when either is missing or not base64 of something non-empty.
 */
export function parseVerifierConfig(config: { PasswordVerifier?: string; Salt?: string } | undefined): DeviceVerifier | undefined {
  const decode = (value: string | undefined) => {
    if (value === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
    const hex = Buffer.from(value, 'base64').toString('hex');
    return hex.length > 0 && /[1-9a-f]/.test(hex) ? hex : undefined;
  };
  const saltHex = decode(config?.Salt);
  const verifierHex = decode(config?.PasswordVerifier);
  return saltHex && verifierHex ? { saltHex, verifierHex } : undefined;
}

/**
 * DeviceType with the attributes AWS lists for a device (AWS CLI get-device example:
 * device_status, device_name, dev:device_arn, dev:device_owner, last_ip_used,
 * dev:device_remembered_status); dates in epoch seconds.
 */
export function deviceType(device: DeviceRecord, owner: { region: string; accountId: string; username: string }): DeviceType {
  const ownerName = `${owner.username}.${device.poolId}`;
  const attributes = [
    { Name: 'device_status', Value: 'valid' },
    ...(device.name !== null ? [{ Name: 'device_name', Value: device.name }] : []),
    { Name: 'dev:device_arn', Value: `arn:aws:cognito-idp:${owner.region}:${owner.accountId}:owner/${ownerName}/device/${device.deviceKey}` },
    { Name: 'dev:device_owner', Value: ownerName },
    ...(device.lastIp !== null ? [{ Name: 'last_ip_used', Value: device.lastIp }] : []),
    { Name: 'dev:device_remembered_status', Value: device.status ?? 'not_remembered' },
  ];
  return {
    DeviceKey: device.deviceKey,
    DeviceAttributes: attributes,
    DeviceCreateDate: device.createdAt / 1000,
    DeviceLastModifiedDate: device.lastModifiedAt / 1000,
    DeviceLastAuthenticatedDate: device.lastAuthenticatedAt / 1000,
  };
}
