import { createHmac, timingSafeEqual } from 'node:crypto';
import { notAuthorized } from '../../kernel/errors.js';

/** SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

/**
 * For a client with a secret, the request must carry the right hash (compared in constant
 * time); a client without a secret ignores it. AWS's answer otherwise:
 * `NotAuthorizedException: Unable to verify secret hash for client <id>`.
 */
export function checkSecretHash(clientId: string, clientSecret: string | null, username: string, provided: string | undefined): void {
  if (clientSecret === null) return;
  const expected = Buffer.from(secretHash(clientSecret, username, clientId));
  const given = Buffer.from(provided ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw notAuthorized(`Unable to verify secret hash for client ${clientId}`);
  }
}
