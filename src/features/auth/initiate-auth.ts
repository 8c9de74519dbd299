import type { Operation } from '../operation.js';
import { admitFlow, type FlowDeps } from './flows/index.js';
import { loadSignInClient, type SignInClientDeps } from './sign-in-client.js';
import { guardSignInStep, initiateStep, publicOriginOf, type SignInThreatDeps } from './sign-in-threats.js';

/** Public sign-in: the client names the pool; only flows this operation runs and the client allows (flows/index.ts). */
export const initiateAuth: Operation<'InitiateAuth', SignInClientDeps | FlowDeps | SignInThreatDeps> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId);
  const flow = admitFlow('InitiateAuth', input.AuthFlow, sc);
  const run = () => flow.run(deps, sc, input.AuthParameters, ctx, input.ClientMetadata);
  const step = initiateStep(input.AuthFlow, input.AuthParameters);
  return step ? guardSignInStep(deps, sc, publicOriginOf(ctx, sc, input.UserContextData), step, run) : run();
};
