/**
 * The request bytes all requests together may hold at once. A body must arrive whole before
 * anything can check it (SigV4 signs the body), so without a bound a few hundred slow uploads
 * of 1 MiB hold hundreds of MiB until they time out. Each request reserves its declared length
 * (or its route's limit when it streams without one) before reading, and gives it back once
 * answered; a request that does not fit is refused at once, without reading its body.
 */
export interface ByteBudget {
  /** Reserves `bytes`; false (and nothing reserved) when they do not fit. */
  take(bytes: number): boolean;
  give(bytes: number): void;
  /** Bytes reserved now. */
  readonly inUse: number;
  /** The most that may be reserved at once: no single body larger than this can be read. */
  readonly max: number;
}

export function createByteBudget(max: number): ByteBudget {
  let inUse = 0;
  return {
    take(bytes) {
      if (inUse + bytes > max) return false;
      inUse += bytes;
      return true;
    },
    give(bytes) {
      inUse -= bytes;
    },
    get inUse() {
      return inUse;
    },
    max,
  };
}
