import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { addUserPoolClientSecret } from './add-user-pool-client-secret.js';
import { createUserPoolClient } from './create-user-pool-client.js';
import { deleteUserPoolClient } from './delete-user-pool-client.js';
import { deleteUserPoolClientSecret } from './delete-user-pool-client-secret.js';
import { describeUserPoolClient } from './describe-user-pool-client.js';
import { listUserPoolClientSecrets } from './list-user-pool-client-secrets.js';
import { listUserPoolClients } from './list-user-pool-clients.js';
import { updateUserPoolClient } from './update-user-pool-client.js';

/** This area's operations, merged into the registry by features/registry.ts. */
export const clientsOperations = {
  CreateUserPoolClient: createUserPoolClient,
  DescribeUserPoolClient: describeUserPoolClient,
  UpdateUserPoolClient: updateUserPoolClient,
  DeleteUserPoolClient: deleteUserPoolClient,
  ListUserPoolClients: listUserPoolClients,
  AddUserPoolClientSecret: addUserPoolClientSecret,
  ListUserPoolClientSecrets: listUserPoolClientSecrets,
  DeleteUserPoolClientSecret: deleteUserPoolClientSecret,
} satisfies { [N in OperationName]?: Operation<N> };
