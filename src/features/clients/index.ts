import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { createUserPoolClient } from './create-user-pool-client.js';
import { deleteUserPoolClient } from './delete-user-pool-client.js';
import { describeUserPoolClient } from './describe-user-pool-client.js';
import { listUserPoolClients } from './list-user-pool-clients.js';
import { updateUserPoolClient } from './update-user-pool-client.js';

/** This area's operations, merged into the registry by features/registry.ts. */
export const clientsOperations = {
  CreateUserPoolClient: createUserPoolClient,
  DescribeUserPoolClient: describeUserPoolClient,
  UpdateUserPoolClient: updateUserPoolClient,
  DeleteUserPoolClient: deleteUserPoolClient,
  ListUserPoolClients: listUserPoolClients,
} satisfies { [N in OperationName]?: Operation<N> };
