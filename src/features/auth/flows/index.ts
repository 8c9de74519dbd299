import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import type { AuthFlowName } from '../../../domain/clients/app-client.js';
import type { AuthFlowType, InitiateAuthResponse } from '../../../model/generated/types.js';
import { invalidParameter } from '../../../kernel/errors.js';
import { notImplemented } from '../not-implemented.js';
import { requireFlow, type SignInClient } from '../sign-in-client.js';
import { passwordSignIn, type PasswordSignInDeps } from './password-sign-in.js';
import { refreshSignIn, type RefreshSignInDeps } from './refresh-sign-in.js';
import { srpSignIn, type SrpSignInDeps } from './srp-sign-in.js';
import { userAuthSignIn, type UserAuthSignInDeps } from './user-auth-sign-in.js';
import { customSignIn, type CustomSignInDeps } from './custom-sign-in.js';

/**
 * The sign-in flows, keyed by the model's AuthFlowType: what enables each one on a client, which
 * operation runs it, how each operation refuses it, and the handler. InitiateAuth and
 * AdminInitiateAuth look flows up here and nowhere else, so a new flow is one entry, not a
 * branch in each operation.
 */

/** The operations that start a sign-in: the public one and the signed, server-side one. */
export type SignInOperation = 'InitiateAuth' | 'AdminInitiateAuth';

/** Every service some flow uses: what an operation that runs flows must be given. */
export type FlowDeps = PasswordSignInDeps | SrpSignInDeps | RefreshSignInDeps | UserAuthSignInDeps | CustomSignInDeps;

export type FlowHandler = (
  deps: Pick<Deps, FlowDeps>,
  sc: SignInClient,
  params: Record<string, string> | undefined,
  ctx: RequestContext,
  /** The operation's ClientMetadata, for the triggers InitiateAuth passes it to (PreAuthentication, UserMigration). */
  clientMetadata?: Record<string, string>,
) => Promise<InitiateAuthResponse>;

/** A refusal text, fixed or naming the flow as the request spelled it (REFRESH_TOKEN or REFRESH_TOKEN_AUTH). */
type Refusal = string | ((flow: AuthFlowType) => string);

/** How one operation treats a flow. */
export type FlowAccess =
  /** It runs the flow; `notEnabled` refuses a client whose ExplicitAuthFlows do not allow it. */
  | { readonly notEnabled: Refusal }
  /** It does not run the flow, which belongs to the other operation. */
  | { readonly notSupported: string };

export interface FlowEntry {
  /** The flow the client must allow; which ExplicitAuthFlows values allow it is in domain/clients/app-client.ts. */
  readonly enabledBy: AuthFlowName;
  readonly by: { readonly [O in SignInOperation]: FlowAccess };
  readonly run: FlowHandler;
}

// AWS's texts, unchanged: each operation words its refusals its own way.
const METHOD_NOT_SUPPORTED = 'Initiate Auth method not supported.';
const ADMIN_NOT_ENABLED = 'Auth flow not enabled for this client';

const USER_PASSWORD: FlowEntry = {
  enabledBy: 'USER_PASSWORD_AUTH',
  by: {
    InitiateAuth: { notEnabled: 'USER_PASSWORD_AUTH flow not enabled for this client' },
    // The client-side password flow belongs to InitiateAuth.
    AdminInitiateAuth: { notSupported: METHOD_NOT_SUPPORTED },
  },
  run: passwordSignIn,
};

const ADMIN_USER_PASSWORD: FlowEntry = {
  enabledBy: 'ADMIN_USER_PASSWORD_AUTH',
  by: {
    // Server-side flows belong to AdminInitiateAuth, which is signed.
    InitiateAuth: { notSupported: METHOD_NOT_SUPPORTED },
    AdminInitiateAuth: { notEnabled: ADMIN_NOT_ENABLED },
  },
  run: passwordSignIn,
};

const USER_SRP: FlowEntry = {
  enabledBy: 'USER_SRP_AUTH',
  by: {
    InitiateAuth: { notEnabled: 'USER_SRP_AUTH is not enabled for the client.' },
    AdminInitiateAuth: { notEnabled: ADMIN_NOT_ENABLED },
  },
  run: srpSignIn,
};

const REFRESH: FlowEntry = {
  enabledBy: 'REFRESH_TOKEN_AUTH',
  by: {
    InitiateAuth: { notEnabled: (flow) => `${flow} flow not enabled for this client` },
    AdminInitiateAuth: { notEnabled: ADMIN_NOT_ENABLED },
  },
  run: refreshSignIn,
};

// Choice-based sign-in (flows/user-auth-sign-in.ts); both operations run it (MODEL
// AdminInitiateAuth.AuthFlow lists USER_AUTH). AWS's refusal texts are not documented: these
// follow the wording of the other flows.
const USER_AUTH: FlowEntry = {
  enabledBy: 'USER_AUTH',
  by: {
    InitiateAuth: { notEnabled: 'USER_AUTH flow not enabled for this client' },
    AdminInitiateAuth: { notEnabled: ADMIN_NOT_ENABLED },
  },
  run: userAuthSignIn,
};

// Custom sign-in with the Define/Create/VerifyAuthChallenge functions (flows/custom-sign-in.ts);
// both operations run it (MODEL AdminInitiateAuth.AuthFlow lists CUSTOM_AUTH). AWS's refusal
// text for a client without ALLOW_CUSTOM_AUTH is not documented: this follows the other flows.
const CUSTOM_AUTH: FlowEntry = {
  enabledBy: 'CUSTOM_AUTH',
  by: {
    InitiateAuth: { notEnabled: 'CUSTOM_AUTH flow not enabled for this client' },
    AdminInitiateAuth: { notEnabled: ADMIN_NOT_ENABLED },
  },
  run: customSignIn,
};

/** Flows of the model not built yet: they answer notImplemented. Building one moves it into SIGN_IN_FLOWS. */
export const FLOWS_NOT_BUILT = [] as const satisfies readonly AuthFlowType[];

type BuiltFlow = Exclude<AuthFlowType, (typeof FLOWS_NOT_BUILT)[number]>;

/** Every flow of the model that is not in FLOWS_NOT_BUILT must be here (a missing one fails the typecheck). */
export const SIGN_IN_FLOWS: { readonly [F in BuiltFlow]: FlowEntry } = {
  USER_PASSWORD_AUTH: USER_PASSWORD,
  ADMIN_USER_PASSWORD_AUTH: ADMIN_USER_PASSWORD,
  // The legacy name of ADMIN_USER_PASSWORD_AUTH.
  ADMIN_NO_SRP_AUTH: ADMIN_USER_PASSWORD,
  USER_SRP_AUTH: USER_SRP,
  REFRESH_TOKEN_AUTH: REFRESH,
  // The older spelling of REFRESH_TOKEN_AUTH, still accepted.
  REFRESH_TOKEN: REFRESH,
  USER_AUTH,
  CUSTOM_AUTH,
};

function isBuilt(flow: AuthFlowType): flow is BuiltFlow {
  return Object.hasOwn(SIGN_IN_FLOWS, flow);
}

function resolve(operation: SignInOperation, flow: AuthFlowType): { entry: FlowEntry; notEnabled: Refusal } {
  if (!isBuilt(flow)) throw notImplemented(operation, flow);
  const entry = SIGN_IN_FLOWS[flow];
  const access = entry.by[operation];
  if ('notSupported' in access) throw invalidParameter(access.notSupported);
  return { entry, notEnabled: access.notEnabled };
}

/** The entry `operation` runs for `flow`; refuses a flow not built, then one of the other operation. */
export function flowEntry(operation: SignInOperation, flow: AuthFlowType): FlowEntry {
  return resolve(operation, flow).entry;
}

/** As flowEntry, and then refuses a flow the client does not allow, in the operation's words. */
export function admitFlow(operation: SignInOperation, flow: AuthFlowType, sc: SignInClient): FlowEntry {
  const { entry, notEnabled } = resolve(operation, flow);
  requireFlow(sc, entry.enabledBy, typeof notEnabled === 'string' ? notEnabled : notEnabled(flow));
  return entry;
}
