import type { IdentityProviderRecord } from '../../domain/idp/identity-provider.js';
import { identityProviderType } from '../../domain/idp/identity-provider.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { IdentityProviderType } from '../../model/generated/types.js';

/** Seals the secret ProviderDetails as one JSON object; none -> null. */
export function sealSecrets(secrets: SecretBox, values: Record<string, string>): string | null {
  return Object.keys(values).length === 0 ? null : secrets.seal(JSON.stringify(values));
}

export function openSecrets(secrets: SecretBox, record: IdentityProviderRecord): Record<string, string> {
  return record.secretsSealed === null ? {} : (JSON.parse(secrets.open(record.secretsSealed)) as Record<string, string>);
}

/** The API's view of a provider, secrets included as AWS returns them. */
export function providerView(secrets: SecretBox, record: IdentityProviderRecord): IdentityProviderType {
  return identityProviderType(record, openSecrets(secrets, record));
}
