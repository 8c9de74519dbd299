import { ALPHANUMERIC, LOWER_ALPHANUMERIC, randomString, type Random } from '../kernel/random.js';

/** Pool ids look like AWS's: `us-east-1_AbCdEfGhI`. */
export function newPoolId(random: Random, region: string): string {
  return `${region}_${randomString(random, ALPHANUMERIC, 9)}`;
}

/** App client ids: 26 lower-case letters and digits, like AWS's. */
export function newClientId(random: Random): string {
  return randomString(random, LOWER_ALPHANUMERIC, 26);
}

/** App client secrets: 51 characters, like AWS's. */
export function newClientSecret(random: Random): string {
  return randomString(random, LOWER_ALPHANUMERIC, 51);
}
