import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { createResourceServer } from './create-resource-server.js';
import { createUserPoolDomain } from './create-user-pool-domain.js';
import { deleteResourceServer } from './delete-resource-server.js';
import { deleteUserPoolDomain } from './delete-user-pool-domain.js';
import { describeResourceServer } from './describe-resource-server.js';
import { describeUserPoolDomain } from './describe-user-pool-domain.js';
import { listResourceServers } from './list-resource-servers.js';
import { updateResourceServer } from './update-resource-server.js';
import { updateUserPoolDomain } from './update-user-pool-domain.js';

// What the OAuth 2.0 endpoints (src/http/routes/oauth/) use of this area.
export { authenticateClient, type ClientCredentials } from './client-auth.js';
export { issueCode } from './authorization-code.js';
export { implicitGrant } from './implicit-grant.js';
export { authorizeRequestOf } from './authorize.js';
export { authorizationCodeGrant, clientCredentialsGrant, refreshTokenGrant, type TokenResponse } from './token-grants.js';
export { userInfo } from './user-info.js';
export { revokeGrant } from './revoke.js';

/**
 * The OAuth 2.0 configuration: user pool domains (where the OAuth endpoints and managed login
 * pages answer, docs/oauth.md) and resource servers (custom scopes). The endpoints themselves
 * are HTTP routes (src/http/routes/oauth/), not operations of the API.
 */
export const oauthOperations = {
  CreateUserPoolDomain: createUserPoolDomain,
  DescribeUserPoolDomain: describeUserPoolDomain,
  UpdateUserPoolDomain: updateUserPoolDomain,
  DeleteUserPoolDomain: deleteUserPoolDomain,
  CreateResourceServer: createResourceServer,
  DescribeResourceServer: describeResourceServer,
  UpdateResourceServer: updateResourceServer,
  DeleteResourceServer: deleteResourceServer,
  ListResourceServers: listResourceServers,
} satisfies { [N in OperationName]?: Operation<N> };
