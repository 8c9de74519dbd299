import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * The setup most tests share, made through the admin API as an operator would: a pool with one
 * app client, and users that exist without any message queued (MessageAction SUPPRESS), so a
 * test sees only the messages its own steps cause.
 */

export interface PoolWithClient {
  poolId: string;
  clientId: string;
  /** Set only when the client was created with GenerateSecret. */
  clientSecret: string | undefined;
}

/** A pool and one app client named `app` unless `appClient` says otherwise. */
export async function createPoolWithClient(
  client: CognitoIdentityProviderClient,
  pool: CreateUserPoolCommandInput,
  appClient: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<PoolWithClient> {
  const created = await client.send(new CreateUserPoolCommand(pool));
  const poolId = created.UserPool?.Id as string;
  const made = await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...appClient }));
  return { poolId, clientId: made.UserPoolClient?.ClientId as string, clientSecret: made.UserPoolClient?.ClientSecret };
}

/** `${username}@example.com`, already verified. */
export function verifiedEmail(username: string): AttributeType[] {
  return [
    { Name: 'email', Value: `${username}@example.com` },
    { Name: 'email_verified', Value: 'true' },
  ];
}

export interface InvitedUserOptions {
  /** Left out, the server generates one. */
  temporaryPassword?: string;
  /** Instead of `verifiedEmail(username)`. */
  attributes?: AttributeType[];
}

/** A FORCE_CHANGE_PASSWORD user, as AdminCreateUser leaves one. */
export async function createInvitedUser(
  client: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
  options: InvitedUserOptions = {},
): Promise<void> {
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      ...(options.temporaryPassword !== undefined && { TemporaryPassword: options.temporaryPassword }),
      UserAttributes: options.attributes ?? verifiedEmail(username),
    }),
  );
}

/** A CONFIRMED user: invited, then given `password` as a permanent one by the administrator. */
export async function createConfirmedUser(
  client: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
  options: InvitedUserOptions & { password: string },
): Promise<void> {
  await createInvitedUser(client, poolId, username, options);
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: options.password, Permanent: true }));
}
