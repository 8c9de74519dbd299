import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { createUserPoolReplica } from './create-user-pool-replica.js';
import { deleteUserPoolReplica } from './delete-user-pool-replica.js';
import { listUserPoolReplicas } from './list-user-pool-replicas.js';
import { updateUserPoolReplica } from './update-user-pool-replica.js';

/** Replicas of a pool in other regions: records only (docs/compatibility.md says what that means). */
export const replicasOperations = {
  CreateUserPoolReplica: createUserPoolReplica,
  UpdateUserPoolReplica: updateUserPoolReplica,
  DeleteUserPoolReplica: deleteUserPoolReplica,
  ListUserPoolReplicas: listUserPoolReplicas,
} satisfies { [N in OperationName]?: Operation<N> };
