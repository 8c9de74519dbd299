import type { Deps } from '../deps.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { resourceNotFound } from '../../kernel/errors.js';
import type { NewDeviceMetadataType } from '../../model/generated/types.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { newDeviceGroupKey, newDeviceKey, remembersDevices, type DeviceRecord, type DeviceVerifier } from '../../domain/devices/device.js';

/**
 * The devices side of a sign-in (cognito-facts-areas.md 3.5): which device a request names,
 * and the device the tokens are bound to, announced as NewDeviceMetadata when it is new.
 */

/** AWS's text for a DEVICE_KEY it does not know is not documented (unverified wording). */
export const DEVICE_NOT_FOUND = 'Device does not exist.';

export const deviceNotFound = () => resourceNotFound(DEVICE_NOT_FOUND);

/** Random bytes of a DeviceGroupKey. */
const GROUP_KEY_BYTES = 9;

/**
 * The user's device named by `deviceKey`, when the pool remembers devices; undefined when no
 * key is sent or the pool does not remember devices. A key the user has no device under is
 * ResourceNotFoundException naming the device: amazon-cognito-identity-js answers exactly that
 * (a ResourceNotFoundException whose message mentions the device) by forgetting its cached key
 * and answering again without it (CognitoUser.authenticateUserDefaultAuth).
 */
export async function deviceOfRequest(
  deps: Pick<Deps, 'store'>,
  poolId: string,
  settings: PoolSettings,
  userSub: string,
  deviceKey: string | undefined,
): Promise<DeviceRecord | undefined> {
  if (deviceKey === undefined || deviceKey === '' || !remembersDevices(settings)) return undefined;
  const device = await deps.store.getDevice(poolId, userSub, deviceKey);
  if (!device) throw deviceNotFound();
  return device;
}

/**
 * The device a finished sign-in's tokens are bound to: the known device the request named (its
 * last sign-in and address recorded), or a new one, not yet confirmed, whose key and group key
 * go back as NewDeviceMetadata. Nothing when the pool does not remember devices.
 */
export async function deviceOfSignIn(
  deps: Pick<Deps, 'store' | 'clock' | 'random' | 'config'>,
  poolId: string,
  settings: PoolSettings,
  userSub: string,
  deviceKey: string | undefined,
  sourceIp: string,
): Promise<{ deviceKey: string; newDevice?: NewDeviceMetadataType } | undefined> {
  if (!remembersDevices(settings)) return undefined;
  const now = deps.clock.nowMs();
  const known = await deviceOfRequest(deps, poolId, settings, userSub, deviceKey);
  if (known) {
    await deps.store.updateDevice({ ...known, lastAuthenticatedAt: now, lastIp: sourceIp });
    return { deviceKey: known.deviceKey };
  }
  const device: DeviceRecord = {
    poolId,
    userSub,
    deviceKey: newDeviceKey(deps.config.region, deps.random.uuid()),
    deviceGroupKey: newDeviceGroupKey(deps.random.bytes(GROUP_KEY_BYTES)),
    verifierSealed: null,
    name: null,
    status: null,
    lastIp: sourceIp,
    createdAt: now,
    lastModifiedAt: now,
    lastAuthenticatedAt: now,
  };
  await deps.store.insertDevice(device);
  return { deviceKey: device.deviceKey, newDevice: { DeviceKey: device.deviceKey, DeviceGroupKey: device.deviceGroupKey } };
}

/** The device's verifier, sealed at rest like users' SRP verifiers. */
export function sealDeviceVerifier(secrets: SecretBox, verifier: DeviceVerifier): string {
  return secrets.seal(JSON.stringify(verifier));
}

export function openDeviceVerifier(secrets: SecretBox, device: DeviceRecord): { saltHex: string; verifier: bigint } | undefined {
  if (device.verifierSealed === null) return undefined;
  try {
    const { saltHex, verifierHex } = JSON.parse(secrets.open(device.verifierSealed)) as Partial<DeviceVerifier>;
    if (typeof saltHex !== 'string' || typeof verifierHex !== 'string') return undefined;
    return { saltHex, verifier: BigInt(`0x${verifierHex}`) };
  } catch {
    return undefined;
  }
}
