import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), as authenticator apps compute
 * them from the otpauth:// URI AWS's examples build from AssociateSoftwareToken's SecretCode:
 * HMAC-SHA1, 30-second steps, 6 digits (the apps' defaults, which that URI leaves implicit;
 * cognito-facts-areas.md 3.2 and its appendix item 4). Time comes in as a value.
 */

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/**
 * Steps accepted either side of the current one: AWS documents a tolerance of 30 seconds
 * [DOC23 DG:user-pool-settings-mfa-totp], i.e. the previous and the next code, which also
 * gives a code typed at the end of its window the grace RFC 6238 section 5.2 recommends.
 */
export const TOTP_WINDOW = 1;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (RFC 4648, case-insensitive, padding optional); undefined for anything else. */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/=+$/u, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) return undefined;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP of `counter`, with the hash RFC 6238 allows (SHA-1 is what the apps use). */
export function hotp(key: Uint8Array, counter: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step of an instant (epoch ms). */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS);
}

/** The code of `nowMs` for a base32 secret. */
export function totpCode(secretBase32: string, nowMs: number): string {
  const key = base32Decode(secretBase32);
  if (!key) throw new Error('not a base32 secret');
  return hotp(key, totpStep(nowMs));
}

/**
 * The step whose code `code` is, within the window around `nowMs`, or undefined. The step lets
 * the caller refuse a code used before. Compared in constant time.
 */
export function matchTotp(secretBase32: string, code: string, nowMs: number, window = TOTP_WINDOW): number | undefined {
  const key = base32Decode(secretBase32);
  if (!key || !/^\d{6}$/u.test(code)) return undefined;
  const given = Buffer.from(code);
  const now = totpStep(nowMs);
  let matched: number | undefined;
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    if (timingSafeEqual(Buffer.from(hotp(key, step)), given) && matched === undefined) matched = step;
  }
  return matched;
}
