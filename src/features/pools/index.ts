import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { addCustomAttributes } from './add-custom-attributes.js';
import { createUserPool } from './create-user-pool.js';
import { deleteUserPool } from './delete-user-pool.js';
import { describeUserPool } from './describe-user-pool.js';
import { getSigningCertificate } from './get-signing-certificate.js';
import { listUserPools } from './list-user-pools.js';
import { updateUserPool } from './update-user-pool.js';

/** This area's operations, merged into the registry by features/registry.ts. */
export const poolsOperations = {
  CreateUserPool: createUserPool,
  DescribeUserPool: describeUserPool,
  UpdateUserPool: updateUserPool,
  DeleteUserPool: deleteUserPool,
  ListUserPools: listUserPools,
  AddCustomAttributes: addCustomAttributes,
  GetSigningCertificate: getSigningCertificate,
} satisfies { [N in OperationName]?: Operation<N> };
