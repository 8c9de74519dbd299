import type { SecretBox } from '../../kernel/secret-box.js';
import type { ClientRecord } from '../../domain/clients/client.js';

/**
 * The app client's secret in clear, for SECRET_HASH checks (`checkSecretHash`) and for the
 * answers of Create/DescribeUserPoolClient; null for a client without a secret.
 */
export function openClientSecret(client: ClientRecord, secrets: SecretBox): string | null {
  return client.secretSealed === null ? null : secrets.open(client.secretSealed);
}
