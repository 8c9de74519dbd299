import type { Operation } from '../operation.js';
import { passwordSignIn } from './flows/password-sign-in.js';
import { refreshSignIn } from './flows/refresh-sign-in.js';
import { srpSignIn } from './flows/srp-sign-in.js';
import { loadSignInClient, requireFlow } from './sign-in-client.js';
import { flowNotImplemented } from './flow-not-implemented.js';
import { invalidParameter } from '../../kernel/errors.js';

const NOT_ENABLED = 'Auth flow not enabled for this client';

/** Server-side sign-in (signed): the pool is named, and its client must allow the flow. */
export const adminInitiateAuth: Operation<'AdminInitiateAuth'> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId, input.UserPoolId);
  const flow = input.AuthFlow;
  switch (flow) {
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      requireFlow(sc, 'ADMIN_USER_PASSWORD_AUTH', NOT_ENABLED);
      return passwordSignIn(deps, sc, input.AuthParameters, ctx);
    case 'USER_SRP_AUTH':
      requireFlow(sc, 'USER_SRP_AUTH', NOT_ENABLED);
      return srpSignIn(deps, sc, input.AuthParameters);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      requireFlow(sc, 'REFRESH_TOKEN_AUTH', NOT_ENABLED);
      return refreshSignIn(deps, sc, input.AuthParameters, ctx);
    case 'USER_PASSWORD_AUTH':
      // The client-side password flow belongs to InitiateAuth.
      throw invalidParameter('Initiate Auth method not supported.');
    default:
      throw flowNotImplemented(flow);
  }
};
