import type { Operation } from '../operation.js';
import { admitFlow, type FlowDeps } from './flows/index.js';
import { loadSignInClient, type SignInClientDeps } from './sign-in-client.js';
import { guardSignInStep, initiateStep, originOf, type SignInThreatDeps } from './sign-in-threats.js';

/** Server-side sign-in (signed): the pool is named, and its client must allow the flow (flows/index.ts). */
export const adminInitiateAuth: Operation<'AdminInitiateAuth', SignInClientDeps | FlowDeps | SignInThreatDeps> = (deps) => async (input, ctx) => {
  const sc = await loadSignInClient(deps, input.ClientId, input.UserPoolId);
  const flow = admitFlow('AdminInitiateAuth', input.AuthFlow, sc);
  const run = () => flow.run(deps, sc, input.AuthParameters, ctx, input.ClientMetadata);
  const step = initiateStep(input.AuthFlow, input.AuthParameters);
  return step ? guardSignInStep(deps, sc, originOf(ctx, input.ContextData), step, run) : run();
};
