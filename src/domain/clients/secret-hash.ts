import { createHmac, timingSafeEqual } from 'node:crypto';
import { notAuthorized } from '../../kernel/errors.js';

/** SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

/**
 * For a client with secrets, the request must carry the right hash under one of its active
 * secrets (two while a secret is rotated; each compared in constant time); a client without a
 * secret ignores it. AWS's answer otherwise:
 * `NotAuthorizedException: Unable to verify secret hash for client <id>`.
 */
export function checkSecretHash(clientId: string, clientSecrets: readonly string[], username: string, provided: string | undefined): void {
  if (clientSecrets.length === 0) return;
  if (!matchesSecretHash(clientId, clientSecrets, username, provided)) throw notAuthorized(`Unable to verify secret hash for client ${clientId}`);
}

/** Whether `provided` is the SECRET_HASH of the username under any of the secrets. */
export function matchesSecretHash(clientId: string, clientSecrets: readonly string[], username: string, provided: string | undefined): boolean {
  const given = Buffer.from(provided ?? '');
  let matched = false;
  for (const secret of clientSecrets) {
    const expected = Buffer.from(secretHash(secret, username, clientId));
    // Every secret is compared, so the time taken does not tell which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched;
}
