import type { SecretBox } from '../../kernel/secret-box.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import { sameSecret } from '../../kernel/constant-time.js';

/**
 * The app client's active secrets in clear, oldest first, for SECRET_HASH checks
 * (`checkSecretHash`) and ClientSecret checks; empty for a client without a secret.
 */
export function openClientSecrets(client: ClientRecord, secrets: SecretBox): string[] {
  return client.clientSecrets.map((s) => secrets.open(s.sealed));
}

/**
 * The secret Create/Describe/UpdateUserPoolClient show as ClientSecret: the oldest active one,
 * or null for a public client. AWS does not document which secret DescribeUserPoolClient shows
 * while two are active; the oldest keeps the answer stable during a rotation (an app reading its
 * secret from DescribeUserPoolClient moves to the new secret when the old one is deleted).
 */
export function openClientSecret(client: ClientRecord, secrets: SecretBox): string | null {
  const oldest = client.clientSecrets[0];
  return oldest === undefined ? null : secrets.open(oldest.sealed);
}

/**
 * A ClientSecret given in clear (RevokeToken, GetTokensFromRefreshToken) against the client's
 * active secrets: true for a client without secrets, else whether it equals one of them.
 */
export function acceptsClientSecret(clientSecrets: readonly string[], given: string | undefined): boolean {
  if (clientSecrets.length === 0) return true;
  let matched = false;
  for (const secret of clientSecrets) if (sameSecret(secret, given ?? '')) matched = true;
  return matched;
}
