import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { adminConfirmSignUp } from './admin-confirm-sign-up.js';
import { confirmSignUp } from './confirm-sign-up.js';
import { getUserAttributeVerificationCode } from './get-user-attribute-verification-code.js';
import { resendConfirmationCode } from './resend-confirmation-code.js';
import { signUp } from './sign-up.js';
import { updateUserAttributes } from './update-user-attributes.js';
import { verifyUserAttribute } from './verify-user-attribute.js';

/** This area's operations, merged into the registry by features/registry.ts. */
export const signupOperations = {
  SignUp: signUp,
  ConfirmSignUp: confirmSignUp,
  ResendConfirmationCode: resendConfirmationCode,
  AdminConfirmSignUp: adminConfirmSignUp,
  UpdateUserAttributes: updateUserAttributes,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
} satisfies { [N in OperationName]?: Operation<N> };
