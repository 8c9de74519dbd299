import { createDiffieHellman, createHash, type DiffieHellman } from 'node:crypto';

/**
 * The SRP-6a group Cognito uses: the 3072-bit MODP prime of RFC 3526 / RFC 5054, g = 2,
 * SHA-256. Numbers travel as hex; hashing is over "padded" hex (`padHex`), the form the
 * client libraries use, so both sides hash the same bytes.
 */
const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${N_HEX}`);
export const G = 2n;
const N_BYTES = N_HEX.length / 2;

/** Minimal even-length hex, with a `00` prefix when the top bit is set (non-negative values only). */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

export function sha256(...parts: (Buffer | string)[]): Buffer {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
}

export function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

/** SHA-256 over the padded forms of the values, as a number. */
export function hashPadded(...values: bigint[]): bigint {
  return toBigInt(sha256(Buffer.from(values.map(padHex).join(''), 'hex')));
}

export const K = hashPadded(N, G);

function toFixedBytes(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(N_BYTES * 2, '0'), 'hex');
}

// OpenSSL's constant-time modular exponentiation, reached through a Diffie-Hellman object over
// N: about ten times faster than BigInt square-and-multiply, which would block the event loop
// for tens of milliseconds per sign-in. The object is only touched synchronously.
let dh: DiffieHellman | undefined;

function slowModPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base % N;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % N;
    e >>= 1n;
    b = (b * b) % N;
  }
  return result;
}

/** base^exponent mod N. */
export function modPowN(base: bigint, exponent: bigint): bigint {
  const b = ((base % N) + N) % N;
  if (exponent === 0n) return 1n;
  if (b < 2n || b === N - 1n) return slowModPow(b, exponent);
  dh ??= createDiffieHellman(toFixedBytes(N), Buffer.from([Number(G)]));
  try {
    dh.setPrivateKey(Buffer.from(padHex(exponent), 'hex'));
    return toBigInt(b === G ? dh.generateKeys() : dh.computeSecret(toFixedBytes(b)));
  } catch {
    return slowModPow(b, exponent);
  }
}
