import type { Kysely, Migration } from 'kysely';

// Access tokens are checked for revocation through the refresh token their sign-in issued,
// found by origin_jti on every token-authenticated call.
export const refreshTokenOrigin: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('refresh_tokens_origin').on('refresh_tokens').columns(['origin_jti']).execute();
  },
};
