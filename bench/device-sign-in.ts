import { createHmac } from 'node:crypto';
import { G, K, N, hashPadded, modPowN, padHex, toBigInt } from '../src/domain/auth/srp-group.js';
import { claimSignature, formatSrpTimestamp, privateKeyX, verifierOf } from '../src/domain/auth/srp-protocol.js';
import { cryptoRandom } from '../src/kernel/random.js';
import { authenticatorCode } from '../test/support/totp.js';
import type { Send, Step } from './load.js';
import { SEEDED_PASSWORD, seededUsername } from './seed.js';

/**
 * The sign-in of a remembered device (cognito-facts-areas.md 3.5): USER_PASSWORD_AUTH naming
 * the device, which the server answers with DEVICE_SRP_AUTH instead of the user's TOTP; the
 * device's SRP_A, answered with DEVICE_PASSWORD_VERIFIER; the device's proof, answered with
 * tokens. Three requests, one unit of work. Each user's device is registered once, before the
 * measured phases, as an app does it: password, TOTP, NewDeviceMetadata, ConfirmDevice with a
 * verifier of a random device password (remembered at once: DeviceOnlyRememberedOnUserPrompt false).
 */

const TARGET = 'AWSCognitoIdentityProviderService.';
const headers = (operation: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET + operation });

/** A device as its app keeps it. */
interface BenchDevice {
  username: string;
  key: string;
  groupKey: string;
  password: string;
}

async function post(url: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: headers(operation), body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${operation} while registering a bench device: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Password and TOTP on a new device, then ConfirmDevice: the device the workload signs in with. */
async function registerDevice(url: string, clientId: string, user: number, totpSecret: string): Promise<BenchDevice> {
  const username = seededUsername(user);
  const first = await post(url, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: SEEDED_PASSWORD } });
  if (first.ChallengeName !== 'SOFTWARE_TOKEN_MFA') throw new Error(`${username}: expected SOFTWARE_TOKEN_MFA, got ${JSON.stringify(first).slice(0, 300)}`);
  const done = await post(url, 'RespondToAuthChallenge', {
    ClientId: clientId,
    ChallengeName: 'SOFTWARE_TOKEN_MFA',
    Session: first.Session,
    ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: authenticatorCode(totpSecret, Date.now()) },
  });
  const result = done.AuthenticationResult as { AccessToken?: string; NewDeviceMetadata?: { DeviceKey?: string; DeviceGroupKey?: string } } | undefined;
  const key = result?.NewDeviceMetadata?.DeviceKey;
  const groupKey = result?.NewDeviceMetadata?.DeviceGroupKey;
  if (!key || !groupKey) throw new Error(`${username}: no NewDeviceMetadata after MFA`);
  const password = cryptoRandom.bytes(40).toString('base64');
  const saltHex = padHex(toBigInt(cryptoRandom.bytes(16)));
  const verifier = verifierOf(groupKey, key, password, saltHex);
  const confirmed = await post(url, 'ConfirmDevice', {
    AccessToken: result.AccessToken,
    DeviceKey: key,
    DeviceName: 'bench',
    DeviceSecretVerifierConfig: { Salt: Buffer.from(saltHex, 'hex').toString('base64'), PasswordVerifier: Buffer.from(padHex(verifier), 'hex').toString('base64') },
  });
  if (confirmed.UserConfirmationNecessary !== false) throw new Error(`${username}: the device is not remembered at once (${JSON.stringify(confirmed)})`);
  return { username, key, groupKey, password };
}

/** The device's proof over the server's SALT, SRP_B and SECRET_BLOCK (the client side of srp-protocol.ts). */
function deviceProof(device: BenchDevice, a: bigint, A: bigint, params: Record<string, string>, timestamp: string): string {
  const B = BigInt(`0x${params.SRP_B}`);
  const x = privateKeyX(device.groupKey, device.key, device.password, params.SALT as string);
  const u = hashPadded(A, B);
  const base = (((B - ((K * modPowN(G, x)) % N)) % N) + N) % N;
  const S = modPowN(base, a + u * x);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  const key = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])])).digest().subarray(0, 16);
  return claimSignature(key, device.groupKey, device.key, Buffer.from(params.SECRET_BLOCK as string, 'base64'), timestamp).toString('base64');
}

/**
 * Registers a device for each user (a few at a time) and returns the workload: users in turn,
 * so that with 16 requests in flight no user signs in twice at once.
 */
export async function deviceSignInStep(url: string, clientId: string, totpSecrets: ReadonlyMap<number, string>): Promise<Step> {
  const devices: BenchDevice[] = [];
  const users = [...totpSecrets.entries()];
  for (let i = 0; i < users.length; i += 8) {
    devices.push(...(await Promise.all(users.slice(i, i + 8).map(([user, secret]) => registerDevice(url, clientId, user, secret)))));
  }
  let next = 0;
  return async (send: Send) => {
    const device = devices[next++ % devices.length] as BenchDevice;
    const first = await send({
      headers: headers('InitiateAuth'),
      body: JSON.stringify({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: device.username, PASSWORD: SEEDED_PASSWORD, DEVICE_KEY: device.key },
      }),
    });
    if (first.status !== 200) return `InitiateAuth ${first.status} ${first.text.slice(0, 200)}`;
    const srpAuth = JSON.parse(first.text) as { ChallengeName?: string; Session?: string };
    if (srpAuth.ChallengeName !== 'DEVICE_SRP_AUTH') return `InitiateAuth answered ${first.text.slice(0, 200)}`;
    const a = toBigInt(cryptoRandom.bytes(32));
    const A = modPowN(G, a);
    const second = await send({
      headers: headers('RespondToAuthChallenge'),
      body: JSON.stringify({
        ClientId: clientId,
        ChallengeName: 'DEVICE_SRP_AUTH',
        Session: srpAuth.Session,
        ChallengeResponses: { USERNAME: device.username, DEVICE_KEY: device.key, SRP_A: A.toString(16) },
      }),
    });
    if (second.status !== 200) return `DEVICE_SRP_AUTH ${second.status} ${second.text.slice(0, 200)}`;
    const verifier = JSON.parse(second.text) as { ChallengeName?: string; Session?: string; ChallengeParameters?: Record<string, string> };
    if (verifier.ChallengeName !== 'DEVICE_PASSWORD_VERIFIER' || !verifier.ChallengeParameters) return `DEVICE_SRP_AUTH answered ${second.text.slice(0, 200)}`;
    const params = verifier.ChallengeParameters;
    const timestamp = formatSrpTimestamp(Date.now());
    const third = await send({
      headers: headers('RespondToAuthChallenge'),
      body: JSON.stringify({
        ClientId: clientId,
        ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
        Session: verifier.Session,
        ChallengeResponses: {
          USERNAME: device.username,
          DEVICE_KEY: device.key,
          PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
          PASSWORD_CLAIM_SIGNATURE: deviceProof(device, a, A, params, timestamp),
          TIMESTAMP: timestamp,
        },
      }),
    });
    if (third.status !== 200) return `DEVICE_PASSWORD_VERIFIER ${third.status} ${third.text.slice(0, 200)}`;
    return third.text.includes('"AccessToken"') ? undefined : `DEVICE_PASSWORD_VERIFIER answered ${third.text.slice(0, 200)}`;
  };
}
