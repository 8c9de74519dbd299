import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/**
 * The client, made to add members to every request body that it does not already hold, after
 * serializing and before signing, as any caller holding a signing key can: the SDK itself sends
 * only the members the model defines. Returns the same client.
 */
export function addingMembers(client: CognitoIdentityProviderClient, extra: Record<string, unknown>): CognitoIdentityProviderClient {
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { body?: unknown };
      // The SDK serializes to bytes; its HTTP handler sends a string as well, and the
      // content-length and signing middleware that run after this one measure the new body.
      const sent = request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : request.body;
      if (typeof sent === 'string') request.body = JSON.stringify({ ...extra, ...(JSON.parse(sent) as object) });
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'addMembers' },
  );
  return client;
}
