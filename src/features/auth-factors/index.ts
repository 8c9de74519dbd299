import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { adminGetUserAuthFactors } from './admin-get-user-auth-factors.js';
import { getUserAuthFactors } from './get-user-auth-factors.js';

/** A user's sign-in options: first factors (USER_AUTH) and configured MFA factors. */
export const authFactorsOperations = {
  AdminGetUserAuthFactors: adminGetUserAuthFactors,
  GetUserAuthFactors: getUserAuthFactors,
} satisfies { [N in OperationName]?: Operation<N> };
