import type { Kysely, Migration } from 'kysely';

// Refresh token rotation (RefreshTokenRotationType): when a client rotates, a refresh token
// used with GetTokensFromRefreshToken is replaced, and it keeps working only for the client's
// grace period after that first use; rotated_at records when it was rotated out.
// (Dated 2026-12-07: the nine slots of 2026-12-06 were taken.)
export const refreshTokenRotation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('refresh_tokens').addColumn('rotated_at', 'bigint').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('refresh_tokens').dropColumn('rotated_at').execute();
  },
};
