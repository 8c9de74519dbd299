import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Random } from './random.js';

/**
 * Symmetric protection for secrets that must be recoverable (client secrets, queued message
 * codes, SRP verifiers, signing keys) and keyed hashing for those that need not be (codes,
 * refresh tokens). The key lives outside the database, so a copied database alone reveals none
 * of them.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** Keyed hash (HMAC-SHA-256, base64url) for values compared but never read back. */
  digest(purpose: string, value: string): string;
  /** Constant-time comparison of two digests. */
  digestEquals(a: string, b: string): boolean;
}

const VERSION = 'v1';

export function createSecretBox(key: Buffer, random: Random): SecretBox {
  if (key.length !== 32) throw new Error('server key must be 32 bytes');
  const encKey = createHmac('sha256', key).update('userpoold/encrypt').digest();
  const macKey = createHmac('sha256', key).update('userpoold/digest').digest();
  return {
    seal(plaintext) {
      const iv = random.bytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || iv === undefined || body === undefined || tag === undefined) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    digest(purpose, value) {
      return createHmac('sha256', macKey).update(purpose).update('\0').update(value).digest('base64url');
    },
    digestEquals(a, b) {
      const x = Buffer.from(a);
      const y = Buffer.from(b);
      return x.length === y.length && timingSafeEqual(x, y);
    },
  };
}

/** Reads the server key from `dir/server.key`, creating it (mode 0600) on first start. */
export function loadOrCreateServerKey(dir: string, random: Random): Buffer {
  const path = join(dir, 'server.key');
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
    return key;
  }
  mkdirSync(dir, { recursive: true });
  const key = random.bytes(32);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}
