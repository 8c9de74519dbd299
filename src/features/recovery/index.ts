import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { adminResetUserPassword } from './admin-reset-user-password.js';
import { confirmForgotPassword } from './confirm-forgot-password.js';
import { forgotPassword } from './forgot-password.js';

/** Password recovery: the administrator's reset and the user's forgot-password flow. */
export const recoveryOperations = {
  AdminResetUserPassword: adminResetUserPassword,
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
} satisfies { [N in OperationName]?: Operation<N> };
