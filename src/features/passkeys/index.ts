import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { completeWebAuthnRegistration } from './complete-web-authn-registration.js';
import { deleteWebAuthnCredential } from './delete-web-authn-credential.js';
import { listWebAuthnCredentials } from './list-web-authn-credentials.js';
import { startWebAuthnRegistration } from './start-web-authn-registration.js';

/** Passkeys (WebAuthn): registering, listing and deleting a user's; signing in is the WEB_AUTHN challenge of USER_AUTH (features/auth). */
export const passkeysOperations = {
  StartWebAuthnRegistration: startWebAuthnRegistration,
  CompleteWebAuthnRegistration: completeWebAuthnRegistration,
  ListWebAuthnCredentials: listWebAuthnCredentials,
  DeleteWebAuthnCredential: deleteWebAuthnCredential,
} satisfies { [N in OperationName]?: Operation<N> };
