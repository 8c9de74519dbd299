import type { ClientRecord, ClientSecretRecord } from './client.js';

/**
 * Client secret rotation (AddUserPoolClientSecret and friends): "Supports up to 2 active
 * secrets per app client for zero-downtime credential rotation workflows"
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddUserPoolClientSecret.html).
 */
export const MAX_CLIENT_SECRETS = 2;

/**
 * A secret's id, `<client-id>--<epoch-create-time>` as AWS documents it
 * (API_ClientSecretDescriptorType). The time is in milliseconds here, and secrets of one client
 * never share a millisecond (nextSecretCreatedAt), so two secrets added within the same second
 * still have different ids.
 */
export function clientSecretId(clientId: string, createdAt: number): string {
  return `${clientId}--${createdAt}`;
}

/** The creation time of a client's next secret: now, or just after its newest one. */
export function nextSecretCreatedAt(client: Pick<ClientRecord, 'clientSecrets'>, now: number): number {
  const newest = client.clientSecrets.at(-1);
  return newest === undefined ? now : Math.max(now, newest.createdAt + 1);
}

/** The ClientSecretDescriptorType of a secret; the value only where AWS shows it (at creation). */
export function secretDescriptor(clientId: string, secret: ClientSecretRecord, value?: string) {
  return {
    ClientSecretId: clientSecretId(clientId, secret.createdAt),
    ...(value !== undefined && { ClientSecretValue: value }),
    ClientSecretCreateDate: secret.createdAt / 1000,
  };
}

/**
 * The refusals of the secret operations. AWS names the errors in its model
 * (LimitExceededException, InvalidParameterException, ResourceNotFoundException) but publishes
 * none of these texts (cognito-facts-areas.md, appendix item 10): they are ours.
 */
export const CLIENT_SECRET_MESSAGES = {
  tooMany: (clientId: string) => `Client ${clientId} already has ${MAX_CLIENT_SECRETS} client secrets, the maximum; delete one before adding another.`,
  publicClient: (clientId: string) => `Client ${clientId} has no client secret: secrets can be added to a confidential app client only.`,
  unknown: (secretId: string) => `Client secret ${secretId} does not exist.`,
  last: (clientId: string) => `Client secret cannot be deleted: it is the last client secret of client ${clientId}.`,
} as const;
