/** A pool's token signing key: the private JWK sealed with the server key. */
export interface SigningKeyRecord {
  poolId: string;
  kid: string;
  privateJwkSealed: string;
  publicJwk: string;
  createdAt: number;
}

export interface SigningKeysPort {
  getSigningKey(poolId: string): Promise<SigningKeyRecord | undefined>;
  /** Inserts the key unless the pool has one; returns the pool's key either way. */
  putSigningKeyIfAbsent(key: SigningKeyRecord): Promise<SigningKeyRecord>;
}
