import type { Operation } from '../operation.js';
import { passwordSignIn } from './flows/password-sign-in.js';
import { refreshSignIn } from './flows/refresh-sign-in.js';
import { srpSignIn } from './flows/srp-sign-in.js';
import { loadSignInClient, requireFlow } from './sign-in-client.js';
import { flowNotImplemented } from './flow-not-implemented.js';
import { invalidParameter } from '../../kernel/errors.js';

/** Public sign-in: the client names the pool; only the client's allowed flows run. */
export const initiateAuth: Operation<'InitiateAuth'> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId);
  const flow = input.AuthFlow;
  switch (flow) {
    case 'USER_PASSWORD_AUTH':
      requireFlow(sc, 'USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH flow not enabled for this client');
      return passwordSignIn(deps, sc, input.AuthParameters, ctx);
    case 'USER_SRP_AUTH':
      requireFlow(sc, 'USER_SRP_AUTH', 'USER_SRP_AUTH is not enabled for the client.');
      return srpSignIn(deps, sc, input.AuthParameters);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      requireFlow(sc, 'REFRESH_TOKEN_AUTH', `${flow} flow not enabled for this client`);
      return refreshSignIn(deps, sc, input.AuthParameters, ctx);
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      // Server-side flows belong to AdminInitiateAuth, which is signed.
      throw invalidParameter('Initiate Auth method not supported.');
    default:
      throw flowNotImplemented(flow);
  }
};
