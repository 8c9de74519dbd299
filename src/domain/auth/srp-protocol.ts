import { createHmac, timingSafeEqual } from 'node:crypto';
import { G, K, N, hashPadded, modPowN, padHex, sha256, toBigInt } from './srp-group.js';

/**
 * The server side of Cognito's SRP-6a password verification (USER_SRP_AUTH): pure
 * arithmetic over the group in srp-group.ts; randomness and keys are passed in.
 */

/** The part of a pool id after `_`, which Cognito mixes into every password hash. */
export function srpPoolName(poolId: string): string {
  return poolId.slice(poolId.indexOf('_') + 1);
}

/** x = H(PAD(salt) | H(poolName | username | ":" | password)). */
export function privateKeyX(poolName: string, username: string, password: string, saltHex: string): bigint {
  const inner = sha256(`${poolName}${username}:${password}`);
  return toBigInt(sha256(Buffer.from(padHex(BigInt(`0x${saltHex}`)), 'hex'), inner));
}

/** v = g^x mod N. */
export function verifierOf(poolName: string, username: string, password: string, saltHex: string): bigint {
  return modPowN(G, privateKeyX(poolName, username, password, saltHex));
}

/** B = k·v + g^b mod N. */
export function serverPublicB(verifier: bigint, b: bigint): bigint {
  return (K * verifier + modPowN(G, b)) % N;
}

/** A client value is usable only when A mod N is not zero (RFC 5054 §2.5.4). */
export function parseClientA(hex: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,2048}$/.test(hex)) return undefined;
  const a = BigInt(`0x${hex}`);
  return a % N === 0n ? undefined : a;
}

/**
 * The 16-byte key both sides derive: u = H(PAD(A)|PAD(B)), S = (A·v^u)^b mod N, then
 * HKDF-SHA-256 with salt PAD(u), info "Caldera Derived Key", first block.
 */
export function serverSessionKey(A: bigint, B: bigint, b: bigint, verifier: bigint): Buffer | undefined {
  const u = hashPadded(A, B);
  if (u === 0n) return undefined;
  const S = modPowN((A * modPowN(verifier, u)) % N, b);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  const info = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
  return createHmac('sha256', prk).update(info).digest().subarray(0, 16);
}

/** Base64(HMAC-SHA-256(key, poolName | userIdForSrp | secretBlock bytes | timestamp)). */
export function claimSignature(key: Buffer, poolName: string, userIdForSrp: string, secretBlock: Buffer, timestamp: string): Buffer {
  return createHmac('sha256', key).update(poolName, 'utf8').update(userIdForSrp, 'utf8').update(secretBlock).update(timestamp, 'utf8').digest();
}

/** Constant-time check of a base64 PASSWORD_CLAIM_SIGNATURE. */
export function signatureMatches(expected: Buffer, claimedBase64: string): boolean {
  const claimed = Buffer.from(claimedBase64, 'base64');
  return claimed.length === expected.length && timingSafeEqual(claimed, expected);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIMESTAMP = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/** AWS's TIMESTAMP form, `ddd MMM D HH:mm:ss UTC YYYY`, day not zero-padded. */
export function formatSrpTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${time} UTC ${d.getUTCFullYear()}`;
}

/**
 * Epoch ms of a TIMESTAMP in AWS's form, or undefined when it is not one. The parse is
 * lenient (a zero-padded day, any weekday name); the signature is then checked over the
 * canonical form, so only the exact text a client library produces verifies, as with AWS.
 */
export function parseSrpTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, day, month, date, hh, mm, ss, year] = m as unknown as [string, string, string, string, string, string, string, string];
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex < 0 || !DAYS.includes(day)) return undefined;
  const ms = Date.UTC(Number(year), monthIndex, Number(date), Number(hh), Number(mm), Number(ss));
  const d = new Date(ms);
  // Date.UTC rolls impossible values over (Feb 30, 25:00); those are not dates.
  const same = d.getUTCMonth() === monthIndex && d.getUTCDate() === Number(date) && d.getUTCHours() === Number(hh) && d.getUTCMinutes() === Number(mm);
  return same && Number(ss) < 60 ? ms : undefined;
}

/** How far a TIMESTAMP may be from the server's clock, either way (client clock skew). */
export const TIMESTAMP_WINDOW_MS = 5 * 60_000;
/** How long a SECRET_BLOCK may be answered: Cognito asks for an answer within seconds. */
export const SECRET_BLOCK_VALIDITY_MS = 60_000;

export function timestampAcceptable(timestampMs: number, nowMs: number): boolean {
  return Math.abs(nowMs - timestampMs) <= TIMESTAMP_WINDOW_MS;
}
