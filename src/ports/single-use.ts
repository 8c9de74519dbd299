/** Values that may be used once until they expire (SRP secret blocks, sessions, challenges). */
export interface SingleUsePort {
  /** Marks `key` used until `expiresAt`; false when it was already used. Forgets expired keys. */
  useOnce(key: string, expiresAt: number, nowMs: number): Promise<boolean>;
}
