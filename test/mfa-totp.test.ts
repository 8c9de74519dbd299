import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base32Decode, base32Encode, hotp, matchTotp, totpCode } from '../src/domain/mfa/totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890", 8 digits, 30-second steps.
const SEED = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [seconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    for (const [seconds, code] of VECTORS) assert.equal(hotp(SEED, Math.floor(seconds / 30), 8), code, `T=${seconds}`);
  });

  it('matches the RFC 4226 HOTP vectors (6 digits)', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(SEED, counter), code));
  });

  it('base32 round-trips and decodes the RFC 4648 vectors', () => {
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.equal(base32Decode('MZXW6YTBOI======')?.toString(), 'foobar');
    assert.equal(base32Decode('mzxw6ytboi')?.toString(), 'foobar');
    assert.equal(base32Decode('not base32!'), undefined);
    const secret = base32Encode(SEED);
    assert.deepEqual(base32Decode(secret), SEED);
  });

  it('accepts the codes of the previous, current and next step and nothing further, and names the step', () => {
    const secret = base32Encode(SEED);
    const now = 1111111111_000;
    assert.equal(totpCode(secret, now), '050471');
    assert.equal(matchTotp(secret, totpCode(secret, now), now), Math.floor(1111111111 / 30));
    assert.equal(matchTotp(secret, totpCode(secret, now - 30_000), now), Math.floor(1111111111 / 30) - 1);
    assert.equal(matchTotp(secret, totpCode(secret, now + 30_000), now), Math.floor(1111111111 / 30) + 1);
    assert.equal(matchTotp(secret, totpCode(secret, now - 60_000), now), undefined);
    assert.equal(matchTotp(secret, totpCode(secret, now + 60_000), now), undefined);
    assert.equal(matchTotp(secret, '12345', now), undefined);
    assert.equal(matchTotp(secret, 'abcdef', now), undefined);
  });
});
