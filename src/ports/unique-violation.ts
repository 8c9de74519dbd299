import type { AliasKind } from '../domain/users/user.js';

/** A write refused by a unique index: the username or an alias is already taken in the pool. */
export class UniqueViolation extends Error {
  constructor(readonly constraint: 'username' | AliasKind | 'other') {
    super(`unique constraint: ${constraint}`);
  }
}
